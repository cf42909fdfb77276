using System.Buffers;
using System.Text.Json;
using Affinsy.Reference.Reports;
using Affinsy.Reference.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Http;

/// <summary>Imports, datasets, reports and templates: every endpoint but the ingest.</summary>
internal sealed class QueryEndpoints(ReferenceStore store, ReportRunner reports, TimeProvider time, ILogger log)
{
    private static readonly string[] Statuses = [ReportStatus.Processing, ReportStatus.Completed, ReportStatus.Failed];
    private static readonly byte[] NullJson = "null"u8.ToArray();
    private static readonly byte[] ObjectEnd = "}"u8.ToArray();

    private static Caller CallerOf(HttpContext ctx) => (Caller)ctx.Items[ApiGate.CallerItem]!;

    public Task GetImport(HttpContext ctx, string importId) =>
        store.GetImport(CallerOf(ctx).User.Id, importId) is { } i
            ? Respond.Json(ctx, 200, new ImportResponse(i.ImportId, i.DatasetId, i.Status, i.Inserted, i.Updated, i.Rejected, ReferenceStore.Format(i.CreatedAt)), ReferenceJsonContext.Default.ImportResponse)
            : Respond.Error(ctx, 404, $"Import '{importId}' not found.");

    public Task ListDatasets(HttpContext ctx) =>
        Respond.Json(ctx, 200, new DatasetListResponse(store.ListDatasets(CallerOf(ctx).User.Id).Select(ToWire).ToList()), ReferenceJsonContext.Default.DatasetListResponse);

    public Task GetDataset(HttpContext ctx, string datasetId) =>
        store.GetDataset(CallerOf(ctx).User.Id, datasetId) is { } d
            ? Respond.Json(ctx, 200, ToWire(d), ReferenceJsonContext.Default.DatasetResponse)
            : Respond.Error(ctx, 404, $"Dataset '{datasetId}' not found.");

    public async Task DeleteDataset(HttpContext ctx, string datasetId)
    {
        if (await store.DeleteDatasetAsync(CallerOf(ctx).User.Id, datasetId, ctx.RequestAborted))
        {
            ctx.Response.StatusCode = 204;
            return;
        }

        await Respond.Error(ctx, 404, $"Dataset '{datasetId}' not found.");
    }

    public Task Templates(HttpContext ctx) => Respond.Raw(ctx, 200, ReportEngine.TemplatesJson());

    public async Task CreateReport(HttpContext ctx)
    {
        var caller = CallerOf(ctx);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(ctx.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, ctx.RequestAborted);
        }
        catch (JsonException e)
        {
            await Respond.Error(ctx, 400, $"Malformed JSON at line {e.LineNumber + 1}: fix the request body.");
            return;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                await Respond.Error(ctx, 400, "The request body must be a JSON object.");
                return;
            }

            var parse = ReportEngine.Parse(doc.RootElement);
            if (parse.Draft is not { } draft)
            {
                await Respond.Error(ctx, 400, "Invalid report request.", parse.Errors);
                return;
            }

            if (!store.DatasetExists(caller.User.Id, draft.DatasetId))
            {
                await Respond.Error(ctx, 404, $"Dataset '{draft.DatasetId}' not found.");
                return;
            }

            var report = NewReport(caller, draft);
            await store.InsertReportAsync(report, ctx.RequestAborted);
            if (!reports.TryEnqueue(report.ReportId))
            {
                // Stored as Processing: it runs after the next restart if not now. Tell the client to come back.
                ctx.Response.Headers.RetryAfter = "30";
                await Respond.ServerError(ctx, log, 503, "The report queue is full; the report was stored and will run later. Poll it or retry.");
                return;
            }

            await Respond.Json(ctx, 202, new ReportCreatedResponse(report.ReportId, report.Status), ReferenceJsonContext.Default.ReportCreatedResponse);
        }
    }

    /// <summary>The report as stored before it runs: the caller's, processing, created now.</summary>
    private StoredReport NewReport(Caller caller, ReportDraft draft) =>
        new()
        {
            ReportId = ReferenceStore.NewReportId(),
            Owner = caller.User.Id,
            KeyHash = caller.KeyHash,
            DatasetId = draft.DatasetId,
            ReportType = draft.ReportType,
            Name = draft.Name,
            Template = draft.Template,
            Status = ReportStatus.Processing,
            ParamsJson = draft.ParamsJson,
            FiltersJson = draft.FiltersJson,
            WebhookUrl = draft.WebhookUrl,
            CreatedAt = time.GetUtcNow(),
        };

    /// <summary>
    /// The report with its stored results copied to the response (inflated, never parsed): the fields before them are
    /// written by a JSON writer up to <c>"results":</c>, then the stored UTF-8 JSON (or <c>null</c>), then the closing brace.
    /// </summary>
    public async Task GetReport(HttpContext ctx, string reportId)
    {
        if (store.GetReport(CallerOf(ctx).User.Id, reportId) is not { } report)
        {
            await Respond.Error(ctx, 404, $"Report '{reportId}' not found.");
            return;
        }

        var head = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(head))
        {
            WriteReport(w, report);
            w.WritePropertyName("results");
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var body = ctx.Response.Body;
        await body.WriteAsync(head.WrittenMemory, ctx.RequestAborted);
        await (report.Results is { } results
            ? results.CopyToAsync(body, ctx.RequestAborted)
            : body.WriteAsync(NullJson, ctx.RequestAborted).AsTask());
        await body.WriteAsync(ObjectEnd, ctx.RequestAborted);
    }

    public Task ListReports(HttpContext ctx)
    {
        var datasetId = ctx.Request.Query["dataset_id"].FirstOrDefault();
        var status = ctx.Request.Query["status"].FirstOrDefault();
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            return Respond.Error(ctx, 400, "Invalid query.", [new ErrorDetail("status", "must be Processing, Completed or Failed")]);
        }

        var list = store.ListReports(CallerOf(ctx).User.Id, string.IsNullOrEmpty(datasetId) ? null : datasetId, status);
        var body = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteStartArray("reports");
            foreach (var report in list)
            {
                WriteReport(w, report);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Respond.Utf8(ctx, 200, body.WrittenMemory);
    }

    private static DatasetResponse ToWire(DatasetStats d) => new(
        d.DatasetId, d.Orders, d.LineItems, d.Customers,
        d.FirstOrderDate is { } f ? ReferenceStore.Format(f) : null,
        d.LastOrderDate is { } l ? ReferenceStore.Format(l) : null,
        ReferenceStore.Format(d.UpdatedAt));

    /// <summary>
    /// A report's fields but its results, leaving the object open; params and filters are stored as JSON and embedded
    /// as they are.
    /// </summary>
    private static void WriteReport(Utf8JsonWriter w, StoredReport r)
    {
        w.WriteStartObject();
        w.WriteString("report_id", r.ReportId);
        w.WriteString("report_type", r.ReportType);
        w.WriteString("name", r.Name);
        WriteNullable(w, "template", r.Template);
        w.WriteString("dataset_id", r.DatasetId);
        w.WriteString("status", r.Status);
        w.WritePropertyName("params");
        w.WriteRawValue(r.ParamsJson, skipInputValidation: true);
        w.WritePropertyName("filters");
        w.WriteRawValue(r.FiltersJson, skipInputValidation: true);
        WriteNullable(w, "webhook_url", r.WebhookUrl);
        w.WriteString("created_at", ReferenceStore.Format(r.CreatedAt));
        WriteNullable(w, "completed_at", r.CompletedAt is { } c ? ReferenceStore.Format(c) : null);
        WriteNullable(w, "error", r.Error);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
