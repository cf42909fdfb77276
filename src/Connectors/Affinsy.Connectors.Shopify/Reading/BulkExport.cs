using System.Runtime.CompilerServices;
using System.Text.Json;
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
            using var reader = new StreamReader(stream);
            long lineNumber = 0;
            var inBatch = 0;
            GqlOrder? current = null;
            string? currentLine = null;
            List<ShopifyLineItem> children = [];
            string? line;
            while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                lineNumber++;
                if (lineNumber <= skip || line.Length == 0)
                {
                    continue;
                }

                if (line.Contains("\"__parentId\"", StringComparison.Ordinal))
                {
                    var child = Parse(line, lineNumber, GraphQLJsonContext.Default.GqlLineItem);
                    if (current is null || child.ParentId != current.Id)
                    {
                        throw new ShopifyApiException(
                            $"Shopify bulk result of operation {operation.Id}, line {lineNumber}: a line item of {child.ParentId} does not follow its order. Run the sync again to start a new export.");
                    }

                    children.Add(ShopifyOrderJson.FromGraphQL(child));
                    continue;
                }

                if (current is not null)
                {
                    Add(builder, current, children, currentLine!, operation.Id!, lineNumber);
                    inBatch++;
                    if (inBatch >= batchSize)
                    {
                        // Everything before this line belongs to orders already in the batch.
                        yield return builder.Take((start with { BulkOperationId = operation.Id, BulkLinesDone = lineNumber - 1 }).ToCheckpoint());
                        inBatch = 0;
                    }
                }

                current = Parse(line, lineNumber, GraphQLJsonContext.Default.GqlOrder);
                currentLine = line;
                children = [];
            }

            if (current is not null)
            {
                Add(builder, current, children, currentLine!, operation.Id!, lineNumber);
            }

            Watermark = completed.UpdatedAt;
            yield return builder.Take(completed.ToCheckpoint());
        }
    }

    private static void Add(BatchBuilder builder, GqlOrder order, List<ShopifyLineItem> children, string line, string operation, long lineNumber) =>
        builder.Add(ShopifyOrderJson.FromGraphQL(order, children), $"bulk operation {operation}, order before line {lineNumber}", () => line);

    private static T Parse<T>(string line, long lineNumber, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(line, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new ShopifyApiException($"Shopify bulk result line {lineNumber} is not valid JSON ({e.Message}). Run the sync again to start a new export.", e);
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
