using System.Runtime.CompilerServices;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// The full-history read: one <c>bulkOperationRunQuery</c>, polled until it ends, its JSON Lines result streamed
/// line by line into the mapper (an order line, then its line items with <c>__parentId</c>). The operation id is
/// checkpointed as soon as it starts, and the acknowledged line count as batches land, so a re-run polls the same
/// operation and skips what already landed.
/// </summary>
internal sealed class BulkExport(ShopifyClient client, string shop, int batchSize, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(30);

    /// <summary>The watermark after a completed export: its start time, when every earlier change is in the result.</summary>
    public DateTimeOffset? Watermark { get; private set; }

    public async IAsyncEnumerable<OrderBatch> ReadAsync(ShopifyCheckpoint start, BatchBuilder builder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        GqlBulkOperation operation;
        long skip = 0;
        if (start.BulkOperationId is { } resumed)
        {
            logger.LogInformation("Shopify {Shop}: resuming bulk operation {Operation} ({Lines} result lines already landed).", shop, resumed, start.BulkLinesDone ?? 0);
            operation = await PollAsync(resumed, cancellationToken).ConfigureAwait(false);
            skip = start.BulkLinesDone ?? 0;
        }
        else
        {
            var started = await StartAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Shopify {Shop}: bulk operation {Operation} started for the full order history.", shop, started.Id);
            yield return new OrderBatch([], [], (start with { BulkOperationId = started.Id, BulkLinesDone = 0 }).ToCheckpoint());
            operation = await PollAsync(started.Id!, cancellationToken).ConfigureAwait(false);
        }

        if (operation.Status != "COMPLETED")
        {
            // The operation cannot be resumed: forget it so the next run starts a fresh export.
            yield return new OrderBatch([], [], (start with { BulkOperationId = null, BulkLinesDone = null }).ToCheckpoint());
            throw new ShopifyApiException(
                $"Shopify bulk operation {operation.Id} for shop {shop} ended {operation.Status}"
                + (operation.ErrorCode is { } code ? $" (errorCode {code})" : string.Empty)
                + $" after {operation.ObjectCount ?? "0"} objects"
                + (operation.PartialDataUrl is null ? string.Empty : "; its partial data is not used, since it may miss orders")
                + ". Nothing from it was sent. Run the sync again: a new bulk operation starts."
                + (operation.ErrorCode == "ACCESS_DENIED" ? " The app needs the read_orders and read_all_orders scopes." : string.Empty));
        }

        var completed = start with { BulkOperationId = null, BulkLinesDone = null, UpdatedAt = Later(start.UpdatedAt, operation.CreatedAt) };
        if (operation.Url is null)
        {
            logger.LogInformation("Shopify {Shop}: bulk operation {Operation} completed with no orders.", shop, operation.Id);
            Watermark = completed.UpdatedAt;
            yield return new OrderBatch([], [], completed.ToCheckpoint());
            yield break;
        }

        HttpResponseMessage? opened = null;
        ShopifyApiException? unreachable = null;
        try
        {
            opened = await client.OpenBulkResultAsync(new Uri(operation.Url), cancellationToken).ConfigureAwait(false);
        }
        catch (ShopifyApiException e)
        {
            unreachable = e;
        }

        if (unreachable is not null)
        {
            // An expired or refused result URL never comes back: forget the operation so the next run exports again.
            yield return new OrderBatch([], [], (start with { BulkOperationId = null, BulkLinesDone = null }).ToCheckpoint());
            throw unreachable;
        }

        using var response = opened!;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var lines = new JsonlLines(stream);
            var parser = new BulkResultParser(builder, operation.Id!);
            var ready = new Queue<OrderBatch>();
            long lineNumber = 0;
            var inBatch = 0;
            while (await lines.FillAsync(cancellationToken).ConfigureAwait(false))
            {
                while (lines.TryTakeLine(out var line))
                {
                    lineNumber++;
                    if (lineNumber <= skip || line.IsEmpty)
                    {
                        continue;
                    }

                    if (parser.Line(line, lineNumber) && ++inBatch >= batchSize)
                    {
                        // Everything before this line belongs to orders already in the batch.
                        ready.Enqueue(builder.Take((start with { BulkOperationId = operation.Id, BulkLinesDone = lineNumber - 1 }).ToCheckpoint()));
                        inBatch = 0;
                    }
                }

                while (ready.TryDequeue(out var batch))
                {
                    yield return batch;
                }
            }

            parser.Finish(lineNumber + 1);
            Watermark = completed.UpdatedAt;
            yield return builder.Take(completed.ToCheckpoint());
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    private async Task<GqlBulkOperation> StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GraphQLAsync(ShopifyQueries.RunBulk, new GqlVariables { BulkQuery = ShopifyQueries.BulkOrders },
                GraphQLJsonContext.Default.GqlResponseGqlBulkRunData, cancellationToken).ConfigureAwait(false);
            var payload = response.Data?.BulkOperationRunQuery;
            if (payload?.BulkOperation is { Id: not null } started && payload.UserErrors is null or { Count: 0 })
            {
                return started;
            }

            var problems = string.Join("; ", payload?.UserErrors?.Select(e => e.Message) ?? ["no bulk operation in the answer"]);
            if (attempt < 3 && problems.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
            {
                var current = await client.GraphQLAsync(ShopifyQueries.CurrentBulk, null, GraphQLJsonContext.Default.GqlResponseGqlCurrentBulkData, cancellationToken).ConfigureAwait(false);
                if (current.Data?.CurrentBulkOperation is { Id: not null } running)
                {
                    // Shopify runs one bulk query per app and shop: wait for the other one rather than fail.
                    logger.LogWarning("Shopify {Shop}: bulk operation {Operation} is already running for this app; waiting for it to end before starting ours.", shop, running.Id);
                    await PollAsync(running.Id, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            throw new ShopifyApiException($"Shopify refused to start a bulk export for shop {shop}: {problems}");
        }
    }

    private async Task<GqlBulkOperation> PollAsync(string id, CancellationToken cancellationToken)
    {
        var delay = FirstPoll;
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
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < MaxPoll ? delay * 2 : MaxPoll;
        }
    }
}
