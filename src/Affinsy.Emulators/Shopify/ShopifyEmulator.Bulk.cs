using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.Shopify;

/// <summary>Bulk operations: bulkOperationRunQuery, their status, and the JSONL result file (shopify.dev "Perform bulk operations with the GraphQL Admin API").</summary>
public sealed partial class ShopifyEmulator
{
    private void RunBulk(Utf8JsonWriter w, string bulkQuery, string? groupObjects, string served)
    {
        var now = clock.GetUtcNow();
        w.WriteStartObject("bulkOperationRunQuery");
        if (!bulkQuery.Contains("orders", StringComparison.Ordinal) || !bulkQuery.Contains("lineItems", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The Shopify emulator only exports orders with line items, got: " + bulkQuery);
        }

        var running = bulkOperations.Where(o => o.Status(now) == "RUNNING").ToList();
        var limit = EmulatedVersions.RunsBulkQueriesConcurrently(served) ? options.ConcurrentBulkQueries : 1;
        if (running.Count >= limit)
        {
            w.WriteNull("bulkOperation");
            w.WriteStartArray("userErrors");
            w.WriteStartObject();
            w.WriteNull("field");
            w.WriteString("message", $"A bulk query operation for this app and shop is already in progress: {running[^1].Id}.");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            var created = ShopifySeed.Whole(now);
            var filter = bulkQuery.IndexOf("updated_at:>='", StringComparison.Ordinal) is var at and >= 0
                ? ParseUpdatedAtFilter(bulkQuery[at..(bulkQuery.IndexOf('\'', at + 14) + 1)])
                : DateTimeOffset.MinValue;
            EmulatedOrder[] snapshot = [.. orders.Values.Where(o => o.UpdatedAt >= filter).OrderBy(o => o.Id)];
            var grouped = groupObjects is null ? EmulatedVersions.GroupsByDefault(served) : groupObjects == "true";
            var operation = new EmulatedBulkOperation(bulkOperations.Count + 1, created, now + options.BulkDuration, snapshot, failNextBulk)
            {
                ResultFile = failNextBulk is null && snapshot.Length > 0 ? WriteResultFile(snapshot, grouped, corruptNextBulkAtLine) : null,
                Grouped = grouped,
            };
            failNextBulk = null;
            corruptNextBulkAtLine = null;
            bulkOperations.Add(operation);
            if (options.ForeignBulkAfterOurs != ForeignBulk.None && limit > 1)
            {
                StartForeignBulk(now);
            }

            if (faultsAfterBulkStart is { } faults)
            {
                for (var i = 0; i < faults.Count; i++)
                {
                    statusFaults.Enqueue(faults.Status);
                }

                faultsAfterBulkStart = null;
            }

            w.WriteStartObject("bulkOperation");
            w.WriteString("id", operation.Id);
            w.WriteString("status", "CREATED");
            w.WriteString("createdAt", OrderJsonWriter.Iso(created));
            w.WriteEndObject();
            w.WriteStartArray("userErrors");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private void WriteOperation(Utf8JsonWriter w, EmulatedBulkOperation? operation)
    {
        if (operation is null)
        {
            w.WriteNullValue();
            return;
        }

        var status = operation.Status(clock.GetUtcNow());
        var done = status != "RUNNING";
        var fault = done ? operation.Fault : null;
        w.WriteStartObject();
        w.WriteString("id", operation.Id);
        w.WriteString("status", status);
        if (fault?.ErrorCode is { } code)
        {
            w.WriteString("errorCode", code);
        }
        else
        {
            w.WriteNull("errorCode");
        }

        w.WriteString("objectCount", (fault is null && done ? operation.Objects : fault is not null ? operation.Objects / 2 : 0).ToString(CultureInfo.InvariantCulture));
        if (status == "COMPLETED" && fault is null && operation.ResultFile is not null)
        {
            w.WriteString("url", new Uri(BaseUrl, $"bulk-results/{operation.Number}.jsonl").ToString());

            // GraphQL Admin "BulkOperation": fileSize, the result's size in bytes (UnsignedInt64, a string on the wire).
            w.WriteString("fileSize", new FileInfo(operation.ResultFile).Length.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("url");
            w.WriteNull("fileSize");
        }

        if (fault is not null && (fault.PartialOnly || status == "FAILED"))
        {
            w.WriteString("partialDataUrl", new Uri(BaseUrl, $"bulk-results/{operation.Number}.jsonl?partial=1").ToString());
        }
        else
        {
            w.WriteNull("partialDataUrl");
        }

        w.WriteString("createdAt", OrderJsonWriter.Iso(operation.CreatedAt));
        w.WriteEndObject();
    }

    /// <summary>
    /// Another query of the same app, created just after ours, so <c>currentBulkOperation</c> (the app's most recent
    /// operation, shopify.dev GraphQL Admin "currentBulkOperation") names it. It ends before ours (completed with a products
    /// file, or failed) or never.
    /// </summary>
    private void StartForeignBulk(DateTimeOffset now)
    {
        var kind = options.ForeignBulkAfterOurs;
        var doneAt = kind == ForeignBulk.Running ? DateTimeOffset.MaxValue : now + (options.BulkDuration / 2);
        var fault = kind == ForeignBulk.Failed ? new BulkFault("FAILED", "INTERNAL_SERVER_ERROR") : null;
        string? file = null;
        if (kind == ForeignBulk.Completed)
        {
            file = Path.Combine(Path.GetTempPath(), $"affinsy-shopify-products-{Guid.NewGuid():N}.jsonl");
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            {
                ProductsBulkFile.Write(stream);
            }

            resultFiles.Add(file);
        }

        bulkOperations.Add(new EmulatedBulkOperation(bulkOperations.Count + 1, ShopifySeed.Whole(now), doneAt, [], fault)
        {
            ResultFile = file,
            ForeignObjects = ProductsBulkFile.Objects,
        });
    }

    private async Task BulkResultAsync(HttpContext context, long number)
    {
        EmulatedBulkOperation? operation;
        bool broken;
        bool expired;
        lock (gate)
        {
            operation = bulkOperations.Find(o => o.Number == number);
            broken = breakNextBulkDownload;
            breakNextBulkDownload = false;
            expired = resultsExpired;
        }

        if (operation?.ResultFile is not { } file || expired)
        {
            // Shopify's result URLs are pre-signed storage URLs: once expired, storage answers 403 with an XML error.
            context.Response.StatusCode = expired ? 403 : 404;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/jsonl";
        if (!broken)
        {
            // Shopify serves a finished file from storage: the download costs no export work.
            await context.Response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var length = new FileInfo(file).Length;
        await context.Response.SendFileAsync(file, 0, length / 2, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    /// <summary>
    /// Builds the export's JSONL file while the operation "runs" (as Shopify does before it reports COMPLETED), so that
    /// the download is a plain file transfer and a benchmark can tell export time (Shopify's) from download time.
    /// </summary>
    private string WriteResultFile(IReadOnlyList<EmulatedOrder> snapshot, bool grouped, long? corruptAtLine)
    {
        var export = System.Diagnostics.Stopwatch.StartNew();
        var path = Path.Combine(Path.GetTempPath(), $"affinsy-shopify-bulk-{Guid.NewGuid():N}.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            BulkFileWriter.Write(file, snapshot, grouped, corruptAtLine, options.Seed);
        }

        resultFiles.Add(path);
        ExportTime += export.Elapsed;
        return path;
    }
}
