using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Api;

namespace Affinsy.Host.Sync;

/// <summary>
/// After a successful sync: triggers the pipeline's report templates, waits for each by webhook (with
/// polling as the fallback, and the only way without a listener), and saves each finished report with its page
/// (<see cref="SavedReports"/>), keeping the newest <see cref="PipelineConfig.KeepReports"/> of each template.
/// Every report is recorded in the run history as it is triggered and again when collected.
/// </summary>
internal sealed class ReportCollector(AffinsyClient client, WebhookListener? webhooks, string outputDirectory, IRunHistory history, TimeProvider time)
{
    /// <summary>How long to wait for a webhook before asking the API directly.</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Triggers every report of the pipeline, waits for each, saves it; <paramref name="runId"/> is the sync that led to them, if any.</summary>
    public async Task<IReadOnlyList<CollectedReport>> RunAsync(PipelineConfig pipeline, string? runId, CancellationToken ct)
    {
        var started = new List<(ReportSettings Settings, ReportRecord Record)>();
        foreach (var settings in pipeline.Reports)
        {
            var accepted = await client.CreateReportAsync(new ReportRequest(pipeline.DatasetId)
            {
                Template = settings.Template,
                Name = settings.Name,
                WebhookUrl = webhooks?.Url,
                Params = settings.Params.Count == 0 ? null : ToJson(settings.Params),
                Filters = await FiltersAsync(pipeline.DatasetId, settings.DateRange, ct),
            }, ct);
            var record = new ReportRecord(accepted.ReportId, pipeline.Name, settings.Template, runId, time.GetUtcNow(), null, "Processing", null);
            await history.RecordReportAsync(record, ct);
            started.Add((settings, record));
        }

        var collected = new List<CollectedReport>();
        foreach (var (settings, record) in started)
        {
            var (report, byWebhook) = await WaitAsync(record.ReportId, ct);
            var finished = time.GetUtcNow();
            var path = await SavedReports.SaveAsync(outputDirectory, pipeline.Name, settings.Template, report, pipeline.KeepReports, finished, ct);
            AffinsyMetrics.RecordReportDuration(pipeline.Name, settings.Template, report.Status, finished - record.TriggeredAt);
            AffinsyTracing.RecordReport(pipeline.Name, settings.Template, record.ReportId, report.Status, record.TriggeredAt, finished);
            await history.RecordReportAsync(record with { FinishedAt = finished, Status = report.Status, SavedTo = path }, ct);
            collected.Add(new CollectedReport(settings.Template, report, path, byWebhook ? "webhook" : "polling"));
        }

        return collected;
    }

    /// <summary>Waits for the report to finish; says whether the signed webhook announced it (else polling found it).</summary>
    private async Task<(Report Report, bool ByWebhook)> WaitAsync(string reportId, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(DefaultTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var notified = webhooks?.WhenNotified(reportId);
        try
        {
            while (true)
            {
                if (notified is not null)
                {
                    await Task.WhenAny(notified, Task.Delay(PollEvery, time, linked.Token));
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, linked.Token);
                }

                linked.Token.ThrowIfCancellationRequested();
                if (await client.GetReportAsync(reportId, linked.Token) is { IsFinished: true } report)
                {
                    return (report, notified?.IsCompletedSuccessfully == true);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new UserFacingException($"Report {reportId} did not finish within {DefaultTimeout.TotalMinutes} minutes; check it later with `affinsy-connect report get {reportId}`.");
        }
    }

    /// <summary>
    /// The request's filters: fixed bounds as written, or the last N days resolved against the dataset's newest order
    /// date now, just before the report is asked for (one GET /datasets/{id}).
    /// </summary>
    private async Task<ReportFilters?> FiltersAsync(string datasetId, ReportDateRange? range, CancellationToken ct)
    {
        if (range is null)
        {
            return null;
        }

        DateOnly? newest = null;
        if (range.LastDays is not null && await client.GetDatasetAsync(datasetId, ct) is { LastOrderDate: { } last })
        {
            newest = DateOnly.FromDateTime(last.UtcDateTime);
        }

        var (start, end) = range.Resolve(newest);
        return start is null && end is null ? null : new ReportFilters(new DateRange(start, end));
    }

    /// <summary>YAML params arrive as text: numbers and booleans become JSON numbers and booleans.</summary>
    private static JsonObject ToJson(IReadOnlyDictionary<string, string> values)
    {
        var json = new JsonObject();
        foreach (var (key, text) in values)
        {
            json[key] = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
                : bool.TryParse(text, out var flag) ? JsonValue.Create(flag)
                : JsonValue.Create(text);
        }

        return json;
    }
}

/// <summary>A finished report, where it was saved, and how its completion was learnt (<c>webhook</c> or <c>polling</c>).</summary>
internal sealed record CollectedReport(string Template, Report Report, string SavedTo, string Via);
