using System.Runtime.CompilerServices;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// The full-history read: one <c>bulkOperationRunQuery</c> (with <c>groupObjects</c> sent explicitly), followed by the
/// id it returned (never <c>currentBulkOperation</c>: since 2026-01 several may run at once), its JSON Lines result
/// spilled to disk by order (<see cref="OrderSpill"/>) and then read back one whole order at a time. The operation id is
/// checkpointed as soon as it starts and the count of acknowledged orders as batches land, so a re-run polls the same
/// operation and skips what already landed. A result that cannot be used makes the checkpoint forget the operation,
/// so the next run starts a new export instead of repeating the failure.
/// </summary>
internal sealed class BulkExport(ShopifyClient client, ShopifySourceOptions options, TimeProvider time, ILogger logger)
{
    // Shopify's docs say only that clients should poll the operation's status; Shopify's own CLI polls every 300 ms
    // (@shopify/cli-kit, watch-bulk-operation: QUICK_WATCH_POLL_INTERVAL_MS). A small store's export finishes in about a
    // second, so the former 1 s first wait (doubling) cost it a large share of its sync. The wait is a quarter of the
    // time polled so far, at least 250 ms and at most 30 s: the completion is seen at most a quarter late (plus 250 ms),
    // and a long export costs two status queries a minute (about 30 in its first ten minutes).
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(30);
    private readonly string shop = options.Shop;
    private readonly string tempDirectory = options.TempDirectory ?? Path.GetTempPath();

    /// <summary>The watermark after a completed export: its start time, when every earlier change is in the result.</summary>
    public DateTimeOffset? Watermark { get; private set; }

    /// <summary>Temporary disk the last result needed (bytes).</summary>
    public long SpillBytes { get; private set; }

    /// <summary>When the request that starts the export was about to be sent (<see cref="TimeProvider.GetTimestamp"/>; 0: resumed or never), for benchmarks.</summary>
    public long StartRequestedAt { get; private set; }

    /// <summary>When the completed result was opened (<see cref="TimeProvider.GetTimestamp"/>; 0: never), for benchmarks.</summary>
    public long ResultOpenedAt { get; private set; }

    /// <summary>How long pass 1 (download and spill) took, for benchmarks.</summary>
    public TimeSpan SpillTime { get; private set; }

    /// <summary>Starts or resumes the export, spills its result and yields it back as batches with their checkpoints.</summary>
    /// <remarks>
    /// Over 60 lines because it is one async iterator whose every <c>yield</c> carries a different checkpoint (operation
    /// started, operation forgotten, orders done so far, completed): split, each piece would be a nested iterator or a
    /// callback and the reader would have to chase which checkpoint goes with which batch. Its read-back loop is the bulk
    /// read's hot path (Shopify bulk orders/s benchmark) and stays in this shape.
    /// </remarks>
    public async IAsyncEnumerable<OrderBatch> ReadAsync(ShopifyCheckpoint start, BatchBuilder builder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        GqlBulkOperation operation;
        long skip = 0;
        if (start.BulkOperationId is { } resumed)
        {
            logger.LogInformation("Shopify {Shop}: resuming bulk operation {Operation} ({Orders} orders already landed).", shop, resumed, start.BulkOrdersDone ?? 0);
            operation = await PollAsync(resumed, cancellationToken).ConfigureAwait(false);
            skip = start.BulkOrdersDone ?? 0;
        }
        else
        {
            // Before Shopify is asked for anything: a directory that cannot take the result fails here, no checkpoint moved.
            SpillDirectory.Check(tempDirectory, shop);
            StartRequestedAt = time.GetTimestamp();
            var started = await StartAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Shopify {Shop}: bulk operation {Operation} started (groupObjects: {Group}).", shop, started.Id, options.GroupObjects);
            yield return new OrderBatch([], [], (start with { BulkOperationId = started.Id, BulkOrdersDone = 0 }).ToCheckpoint());
            operation = await PollAsync(started.Id!, cancellationToken).ConfigureAwait(false);
        }

        var forget = (start with { BulkOperationId = null, BulkOrdersDone = null, BulkPartitions = null }).ToCheckpoint();
        if (BulkOutcome.Unusable(operation, shop) is { } unusable)
        {
            yield return new OrderBatch([], [], forget);
            throw new ShopifyApiException(unusable);
        }

        var completed = start with { BulkOperationId = null, BulkOrdersDone = null, BulkPartitions = null, UpdatedAt = Later(start.UpdatedAt, operation.CreatedAt) };
        if (completed.UpdatedAt is { } watermark)
        {
            // The catch-up after the export re-reads from here: a skipped order it sees again must not count twice.
            builder.RememberSkipsFrom(watermark - options.Lookback);
        }

        if (operation.Url is null)
        {
            logger.LogInformation("Shopify {Shop}: bulk operation {Operation} completed with no orders.", shop, operation.Id);
            Watermark = completed.UpdatedAt;
            yield return new OrderBatch([], [], completed.ToCheckpoint());
            yield break;
        }

        ResultOpenedAt = time.GetTimestamp();
        using var spill = OpenSpill(Partitions(operation, start, skip), operation.Id!);
        var (failure, abandon) = await SpillAsync(operation, spill, cancellationToken).ConfigureAwait(false);
        SpillBytes = spill.BytesWritten;
        SpillTime = time.GetElapsedTime(ResultOpenedAt);
        if (failure is not null)
        {
            if (abandon)
            {
                yield return new OrderBatch([], [], forget);
            }

            throw new ShopifyApiException(failure);
        }

        var parser = new BulkResultParser(builder, operation.Id!);
        var units = new SpilledOrders(spill);
        long emitted = 0;
        long objectsDone = 0; // the progress line's ETA: result lines gone through (those of a resumed run's skipped orders too)
        var inBatch = 0;
        while (units.MoveNext())
        {
            objectsDone += units.Lines;
            if (++emitted > skip)
            {
                units.Feed(parser);
            }

            if (!units.IsOrphan && ++inBatch >= options.PageSize)
            {
                yield return builder.Take((start with { BulkOperationId = operation.Id, BulkOrdersDone = emitted, BulkPartitions = spill.Partitions }).ToCheckpoint())
                    with { Progress = new SourceProgress(objectsDone, spill.Objects) };
                inBatch = 0;
            }
        }

        Watermark = completed.UpdatedAt;
        yield return builder.Take(completed.ToCheckpoint()) with { Progress = spill.Objects > 0 ? new SourceProgress(spill.Objects, spill.Objects) : null };
    }

    /// <summary>Pass 1: the whole result onto disk. A failure comes back with whether the operation must be forgotten.</summary>
    private async Task<(string? Failure, bool Abandon)> SpillAsync(GqlBulkOperation operation, OrderSpill spill, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.OpenBulkResultAsync(new Uri(operation.Url!), cancellationToken).ConfigureAwait(false);
        }
        catch (ShopifyApiException e) when (e.StatusCode is >= 400 and < 500)
        {
            // A pre-signed URL that answers 403/404 has expired (results are kept seven days) and never comes back.
            return ($"The result of Shopify bulk operation {operation.Id} for shop {shop} could not be downloaded ({e.StatusCode}): its URL has expired or was revoked. "
                + "Nothing from it was sent; the next run starts a new export.", true);
        }

        using (response)
        {
            long lineNumber = 0;
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var lines = new JsonlLines(stream);
                    while (await lines.FillAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (lines.TryTakeLine(out var line))
                        {
                            lineNumber++;
                            if (!line.IsEmpty)
                            {
                                spill.Add(line, lineNumber);
                            }
                        }
                    }
                }

                spill.Complete();
                return (null, false);
            }
            catch (SpillWriteException e)
            {
                // Our disk, not Shopify's result: keep the operation, the next run downloads the same result again.
                return (SpillDirectory.WriteFailed(spill.Location, operation.Id!, shop, e), false);
            }
            catch (BulkResultUnusableException e)
            {
                return ($"The result of Shopify bulk operation {operation.Id} for shop {shop} cannot be used: {e.Message}. Nothing from it was sent; the next run starts a new export.", true);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the result is still there, so the next run downloads it again.
                return ($"Downloading the result of Shopify bulk operation {operation.Id} for shop {shop} broke after {lineNumber} lines ({e.Message}). "
                    + "Nothing from it was sent; run the sync again to download the same result.", false);
            }
        }
    }

    /// <summary>
    /// How many partitions the result is reassembled in: a resumed run's stored count (the orders' order depends on it),
    /// the count checkpoints before <see cref="ShopifyCheckpoint.BulkPartitions"/> used, or one sized from objectCount and fileSize.
    /// </summary>
    private static int Partitions(GqlBulkOperation operation, ShopifyCheckpoint start, long skip)
    {
        var objects = long.TryParse(operation.ObjectCount, out var count) ? count : 0;
        var bytes = long.TryParse(operation.FileSize, out var size) ? size : 0;
        return start.BulkPartitions ?? (skip > 0 ? OrderSpill.PartitionsFor(Math.Max(1, objects), 0) : OrderSpill.PartitionsFor(objects, bytes));
    }

    private OrderSpill OpenSpill(int partitions, string operation)
    {
        try
        {
            return new OrderSpill(tempDirectory, partitions);
        }
        catch (SpillWriteException e)
        {
            throw new ShopifyApiException(SpillDirectory.WriteFailed(tempDirectory, operation, shop, e));
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    private async Task<GqlBulkOperation> StartAsync(CancellationToken cancellationToken)
    {
        var filter = options.StartDate is { } since ? $"updated_at:>='{ShopifyOrderSource.Iso(since)}'" : null;
        var wait = TimeSpan.FromSeconds(30);
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GraphQLAsync(ShopifyQueries.RunBulk,
                new GqlVariables { BulkQuery = ShopifyQueries.BulkOrders(filter), GroupObjects = options.GroupObjects },
                GraphQLJsonContext.Default.GqlResponseGqlBulkRunData, cancellationToken).ConfigureAwait(false);
            var payload = response.Data?.BulkOperationRunQuery;
            if (payload?.BulkOperation is { Id: not null } started && payload.UserErrors is null or { Count: 0 })
            {
                return started;
            }

            var problems = string.Join("; ", payload?.UserErrors?.Select(e => e.Message) ?? ["no bulk operation in the answer"]);
            if (attempt < 12 && (problems.Contains("in progress", StringComparison.OrdinalIgnoreCase) || problems.Contains("limit", StringComparison.OrdinalIgnoreCase)))
            {
                // Other bulk queries of this app fill Shopify's limit: wait for one to end rather than fail.
                logger.LogWarning("Shopify {Shop}: cannot start a bulk operation yet ({Problem}); retrying in {Seconds} s.", shop, problems, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                wait = wait * 2 < TimeSpan.FromMinutes(5) ? wait * 2 : TimeSpan.FromMinutes(5);
                continue;
            }

            throw new ShopifyApiException($"Shopify refused to start a bulk export for shop {shop}: {problems}");
        }
    }

    private async Task<GqlBulkOperation> PollAsync(string id, CancellationToken cancellationToken)
    {
        var polling = time.GetTimestamp();
        while (true)
        {
            var response = await client.GraphQLAsync(ShopifyQueries.BulkById, new GqlVariables { Id = id },
                GraphQLJsonContext.Default.GqlResponseGqlNodeData, cancellationToken).ConfigureAwait(false);
            var operation = response.Data?.Node ?? new GqlBulkOperation { Id = id, Status = "NOT_FOUND" };
            if (operation.Status is "COMPLETED" or "FAILED" or "CANCELED" or "EXPIRED" or "NOT_FOUND")
            {
                return operation;
            }

            logger.LogDebug("Shopify {Shop}: bulk operation {Operation} is {Status} ({Objects} objects).", shop, id, operation.Status, operation.ObjectCount);
            var delay = time.GetElapsedTime(polling) / 4;
            await Task.Delay(delay < MinPoll ? MinPoll : delay > MaxPoll ? MaxPoll : delay, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
