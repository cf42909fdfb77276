using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// The order ledger as one sync uses it: checked against the dataset before it is trusted, consulted once per source
/// batch to leave out orders whose content Affinsy already holds, and written after each acknowledged request, so
/// it never claims an order Affinsy did not take.
/// </summary>
internal sealed partial class RunLedger(IOrderLedger ledger, string pipeline, string datasetId, ILogger logger)
{
    private long unchangedOrders;
    private long unchangedLineItems;

    /// <summary>Orders left out because the dataset already holds them as they are.</summary>
    public long UnchangedOrders => Interlocked.Read(ref unchangedOrders);

    /// <summary>The line items of <see cref="UnchangedOrders"/>.</summary>
    public long UnchangedLineItems => Interlocked.Read(ref unchangedLineItems);

    /// <summary>
    /// Before trusting the ledger: when the dataset is gone or holds fewer rows than the ledger says were delivered,
    /// something removed data behind our back, so the ledger and the pipeline's checkpoint are dropped and this sync
    /// sends everything again.
    /// </summary>
    public async Task VerifyAsync(AffinsyClient client, SinkOptions options, TimeProvider time, ICheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        var totals = await ledger.TotalsAsync(pipeline, datasetId, cancellationToken);
        if (totals.Orders == 0)
        {
            return;
        }

        var dataset = await DatasetWithRetriesAsync(client, options, time, cancellationToken);
        if (dataset is not null && dataset.LineItems >= totals.LineItems)
        {
            return;
        }

        if (dataset is null)
        {
            LogDatasetGone(logger, pipeline, datasetId, totals.Orders);
        }
        else
        {
            LogDatasetShrank(logger, pipeline, datasetId, dataset.LineItems, totals.LineItems);
        }

        await DeliveredState.ForgetAsync(checkpoints, ledger, pipeline, cancellationToken);
    }

    /// <summary>
    /// The dataset as Affinsy describes it. A 5xx, a 429 or no answer is retried like an ingest (max_attempts,
    /// doubling from the base delay): the crash soak showed one 503 here failing a whole sync before it sent anything.
    /// </summary>
    private async Task<DatasetSummary?> DatasetWithRetriesAsync(AffinsyClient client, SinkOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var retries = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            retries.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    LogCheckRetried(logger, pipeline, datasetId, args.AttemptNumber + 1, args.Outcome.Exception!.Message, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return await retries.Build().ExecuteAsync(async ct => await client.GetDatasetAsync(datasetId, ct), cancellationToken);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        AffinsyApiException api => (int)api.Status >= 500 || api.Status == System.Net.HttpStatusCode.TooManyRequests,
        HttpRequestException or TimeoutException or IOException => true,
        _ => e is OperationCanceledException && !cancellationToken.IsCancellationRequested,
    };

    /// <summary>The batch without the orders whose hash the ledger holds unchanged (one look-up for the batch).</summary>
    public async Task<NormalizedBatch> LeaveOutUnchangedAsync(NormalizedBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Orders.Count == 0)
        {
            return batch;
        }

        var ids = new string[batch.Orders.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = batch.Orders[i].OrderId;
        }

        var known = await ledger.FindAsync(pipeline, datasetId, ids, cancellationToken);
        if (known.Count == 0)
        {
            return batch;
        }

        var changed = new List<Order>(batch.Orders.Count - known.Count);
        long orders = 0, lines = 0;
        foreach (var order in batch.Orders)
        {
            if (known.TryGetValue(order.OrderId, out var hash) && hash == OrderFingerprint.Of(order))
            {
                orders++;
                lines += order.LineItems.Count;
                continue;
            }

            changed.Add(order);
        }

        Interlocked.Add(ref unchangedOrders, orders);
        Interlocked.Add(ref unchangedLineItems, lines);
        return orders == 0 ? batch : batch with { Orders = changed };
    }

    /// <summary>Records the orders of an acknowledged request, except those Affinsy refused.</summary>
    public Task RecordAsync(IReadOnlyList<Order> sent, IReadOnlyList<RejectedOrder> refused, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>(sent.Count);
        HashSet<Order>? skip = refused.Count == 0 ? null : new(refused.Select(r => r.Order), ReferenceEqualityComparer.Instance);
        foreach (var order in sent)
        {
            if (skip is null || !skip.Contains(order))
            {
                entries.Add(new LedgerEntry(order.OrderId, OrderFingerprint.Of(order), order.LineItems.Count));
            }
        }

        return ledger.RecordAsync(pipeline, datasetId, entries, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: checking dataset {DatasetId} before trusting the order ledger failed (attempt {Attempt}: {Failure}); retrying in {Delay}.")]
    private static partial void LogCheckRetried(ILogger logger, string pipeline, string datasetId, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: dataset {DatasetId} no longer exists but the order ledger says {Orders} orders were delivered to it; the ledger and checkpoint are dropped and everything is sent again.")]
    private static partial void LogDatasetGone(ILogger logger, string pipeline, string datasetId, long orders);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: dataset {DatasetId} holds {Held} line items, fewer than the {Delivered} the order ledger says were delivered (deleted behind our back?); the ledger and checkpoint are dropped and everything is sent again.")]
    private static partial void LogDatasetShrank(ILogger logger, string pipeline, string datasetId, long held, long delivered);
}
