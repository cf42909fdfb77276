using Affinsy.Core.Configuration;
using System.Threading.Channels;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// The state of one sync. The source is read on its own task into a bounded channel (memory stays flat);
/// this task packs and launches requests, at most <see cref="SinkOptions.MaxInFlight"/> at a time;
/// each request's completion acknowledges its orders and persists whatever checkpoint became safe.
/// </summary>
internal sealed class PipelineRun
{
    /// <summary>Entries the in-flight map may hold before its completed ones are first swept.</summary>
    private const int MinPruneInFlightAt = 4_096;

    private readonly string pipeline;
    private readonly string datasetId;
    private readonly AffinsySender sender;
    private readonly ICheckpointStore checkpoints;
    private readonly IDeadLetterStore deadLetters;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IProgress<SyncProgress>? progress;
    private readonly SinkOptions options;
    private readonly AckTracker tracker = new();
    private readonly SendCounters counters;
    private readonly RunLedger? ledger;
    private readonly CheckpointLag lag;
    private readonly SemaphoreSlim launchSlots;
    private readonly SemaphoreSlim saveLock = new(1, 1);
    private readonly Lock sync = new();
    private readonly List<string> warnings = [];
    private readonly SkipCounts skipped = new();
    private readonly List<Task> sends = [];

    /// <summary>Which launched request last carried each order id (touched only by the packing task).</summary>
    private readonly Dictionary<string, Task> ordersInFlight = new(StringComparer.Ordinal);
    private int pruneInFlightAt = MinPruneInFlightAt;
    private CancellationTokenSource stop = null!;
    private IOrderSource source = null!;
    private Exception? failure;
    private volatile bool drained;
    private Checkpoint? saved;
    private SourceProgress? sourceProgress;
    /// <summary>Orders and line items accepted for sending; with the ledger's unchanged ones, what was read.</summary>
    private long ordersRead;
    private long lineItemsRead;
    private long refused;
    private long deadLettered;
    private long ordersSent;
    private long lineItemsSent;
    private long inserted;
    private long updated;
    private long rejected;

    public PipelineRun(
        string pipeline,
        string datasetId,
        AffinsySender sender,
        ICheckpointStore checkpoints,
        IDeadLetterStore deadLetters,
        TimeProvider time,
        ILogger logger,
        IProgress<SyncProgress>? progress,
        RunLedger? ledger = null)
    {
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.datasetId = datasetId;
        this.sender = sender;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.time = time;
        this.logger = logger;
        this.progress = progress;
        options = sender.Options;
        counters = new SendCounters { Pipeline = pipeline };
        lag = new CheckpointLag(pipeline, time);
        launchSlots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    public async Task<SyncResult> RunAsync(IOrderSource source, CancellationToken cancellationToken, CancellationToken drain = default)
    {
        var started = time.GetTimestamp();
        this.source = source;
        using (stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var token = stop.Token;
            var channel = Channel.CreateBounded<NormalizedBatch>(new BoundedChannelOptions(options.ChannelCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            Task reading = Task.CompletedTask;
            try
            {
                if (ledger is not null)
                {
                    await ledger.VerifyAsync(sender.Client, checkpoints, token);
                }

                var from = await checkpoints.GetAsync(pipeline, token);
                reading = Task.Run(() => ReadSourceAsync(source, from, channel.Writer, token, drain), CancellationToken.None);
                await PackAndSendAsync(channel.Reader, token, drain);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Cancelled by the caller or stopped by a failure recorded elsewhere.
            }
            catch (Exception e)
            {
                Fail(e);
            }

            // Let requests in flight finish (or observe the cancellation) so their acks are not lost.
            await Task.WhenAll(sends);
            await reading;
            try
            {
                await PersistAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }

        return Result(cancellationToken, time.GetElapsedTime(started));
    }

    /// <summary>Reads the source and normalizes each batch on this task, so the packing task only packs.</summary>
    private async Task ReadSourceAsync(IOrderSource source, Checkpoint? from, ChannelWriter<NormalizedBatch> writer, CancellationToken token, CancellationToken drain)
    {
        // Draining stops the reading only; what was read still goes out and is checkpointed.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(token, drain);
        try
        {
            await foreach (var batch in source.ReadAsync(from, reading.Token).WithCancellation(reading.Token))
            {
                var normalized = batch.Normalize();
                await writer.WriteAsync(ledger is null ? normalized : await ledger.LeaveOutUnchangedAsync(normalized, reading.Token), reading.Token);
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested && !token.IsCancellationRequested)
        {
            drained = true;
            writer.TryComplete();
        }
        catch (UnreadableCheckpointException e)
        {
            writer.TryComplete(e.For(pipeline));
        }
        catch (Exception e)
        {
            // Surfaces in the packing loop, which records it as the sync's failure unless it is a cancellation.
            writer.TryComplete(e);
        }
    }

    private async Task PackAndSendAsync(ChannelReader<NormalizedBatch> reader, CancellationToken token, CancellationToken drain)
    {
        var packer = new BatchPacker(options.MaxLineItemsPerRequest);
        while (!drain.IsCancellationRequested)
        {
            bool more;
            if (packer.IsEmpty || reader.TryPeek(out _))
            {
                more = await reader.WaitToReadAsync(token);
            }
            else
            {
                // A partly filled request waits a little for more orders, then goes as it is.
                using var linger = new CancellationTokenSource(options.Linger, time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(token, linger.Token);
                try
                {
                    more = await reader.WaitToReadAsync(either.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    await LaunchAsync(packer.Flush()!, token);
                    continue;
                }
            }

            if (!more)
            {
                break;
            }

            // Draining finishes the batch in hand (so its checkpoint can be saved) and leaves the rest unread:
            // batches still queued were never acknowledged, so the next run reads them again.
            while (!drain.IsCancellationRequested && reader.TryRead(out var batch))
            {
                await AcceptAsync(batch, packer, token);
            }
        }

        if (drain.IsCancellationRequested && (reader.TryPeek(out _) || !reader.Completion.IsCompleted))
        {
            drained = true;
        }

        if (packer.Flush() is { } last)
        {
            await LaunchAsync(last, token);
        }
    }

    private async Task AcceptAsync(NormalizedBatch batch, BatchPacker packer, CancellationToken token)
    {
        var number = tracker.Register(batch.Orders.Count, batch.Checkpoint);
        var lines = 0L;
        foreach (var order in batch.Orders)
        {
            lines += order.LineItems.Count;
        }

        Interlocked.Add(ref ordersRead, batch.Orders.Count);
        Interlocked.Add(ref lineItemsRead, lines);

        // Counted once per batch accepted in this pass: a batch is accepted once, so each order it skipped is counted once.
        lock (sync)
        {
            if (batch.Skipped is { IsEmpty: false } batchSkips)
            {
                skipped.Add(batchSkips);
            }

            sourceProgress = batch.Progress ?? sourceProgress;
        }

        AffinsyMetrics.RecordOrdersRead(pipeline, batch.Orders.Count);
        lag.Read(batch);

        // Refusals are durable before anything of their batch can be acknowledged, so before its checkpoint.
        // One the source already delivered (a Kafka dead-letter topic) is counted here like the others, not stored twice.
        foreach (var refusal in batch.Refusals)
        {
            if (refusal.DeliveredTo is null)
            {
                await deadLetters.WriteAsync(
                    pipeline,
                    new DeadLetter(refusal.Reason, refusal.Position, refusal.OriginalRecord, refusal.OrderId, time.GetUtcNow()),
                    token);
            }

            Interlocked.Increment(ref refused);
            AffinsyMetrics.RecordDeadLetters(pipeline, 1, DeadLetterReason.RefusedBySource);
        }

        foreach (var order in batch.Orders)
        {
            if (!packer.Fits(order))
            {
                await DeadLetterOversizedAsync(order, token);
                tracker.Acknowledge(number, 1);
                continue;
            }

            if (packer.Add(order, number) is { } full)
            {
                await LaunchAsync(full, token);
            }
        }

        Report();
        await PersistAsync(token);
    }

    private async Task DeadLetterOversizedAsync(Order order, CancellationToken token)
    {
        var reason = $"Order {order.OrderId} has {order.LineItems.Count} line items; one request carries at most "
            + $"{options.MaxLineItemsPerRequest} (max_line_items_per_request; the API's own limit is {SinkOptions.ApiMaxLineItemsPerRequest}) "
            + "and an order is never split. Split the order at the source or raise the limit.";
        await deadLetters.WriteAsync(
            pipeline,
            new DeadLetter(reason, $"order {order.OrderId}", OrderWireFormat.ToJson(order), order.OrderId, time.GetUtcNow()),
            token);
        Interlocked.Increment(ref deadLettered);
        AffinsyMetrics.RecordDeadLetters(pipeline, 1, DeadLetterReason.TooLarge);
        logger.LogWarning("Pipeline {Pipeline}: order {OrderId} is too large to send and was dead-lettered.", pipeline, order.OrderId);
    }

    private async Task LaunchAsync(PackedRequest request, CancellationToken token)
    {
        await launchSlots.WaitAsync(token);
        sends.RemoveAll(t => t.IsCompleted);

        // A source may yield the same order twice in one run (modified while it was being read). Its newer
        // version must not race the older one: wait for the earlier request that carries it to finish.
        var earlier = new HashSet<Task>();
        foreach (var order in request.Orders)
        {
            if (ordersInFlight.TryGetValue(order.OrderId, out var carrying) && !carrying.IsCompleted)
            {
                earlier.Add(carrying);
            }
        }

        if (earlier.Count > 0)
        {
            await Task.WhenAll(earlier); // never faults: SendAndAcknowledgeAsync handles its own failures
        }

        var send = SendAndAcknowledgeAsync(request);
        if (ordersInFlight.Count > pruneInFlightAt)
        {
            foreach (var done in ordersInFlight.Where(e => e.Value.IsCompleted).Select(e => e.Key).ToList())
            {
                ordersInFlight.Remove(done);
            }

            // Amortised O(1) per order, and the map stays within twice what is really in flight.
            pruneInFlightAt = Math.Max(MinPruneInFlightAt, 2 * ordersInFlight.Count);
        }

        foreach (var order in request.Orders)
        {
            ordersInFlight[order.OrderId] = send;
        }

        sends.Add(send);
    }

    private async Task SendAndAcknowledgeAsync(PackedRequest request)
    {
        var token = stop.Token;
        try
        {
            var outcome = await sender.SendAsync(datasetId, request.Orders, counters, token);
            foreach (var refusal in outcome.Rejected)
            {
                await deadLetters.WriteAsync(
                    pipeline,
                    new DeadLetter(
                        refusal.Reason,
                        $"POST /data/orders to dataset {datasetId}",
                        OrderWireFormat.ToJson(refusal.Order),
                        refusal.Order.OrderId,
                        time.GetUtcNow(),
                        refusal.Details),
                    token);
            }

            var capHit = Tally(outcome);
            if (capHit is not null && options.OnPlanCap == PlanCapPolicy.Fail)
            {
                // Not acknowledged: the skipped rows must be sent again once the plan allows them.
                Fail(new PlanCapExceededException(
                    $"Affinsy's plan row cap kept rows of dataset {datasetId} out ({capHit}). The sync stopped (on_plan_cap: fail); "
                    + "upgrade the plan or delete data, then sync again, or set on_plan_cap: warn to continue regardless."));
                return;
            }

            // Before the checkpoint can move past them; not when the plan cap kept unknown rows of the request out.
            if (ledger is not null && capHit is null)
            {
                await ledger.RecordAsync(request.Orders, outcome.Rejected, token);
            }

            tracker.Acknowledge(request.Shares);
            Report();
            await PersistAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Unacknowledged: it will be sent again by the next sync.
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            launchSlots.Release();
        }
    }

    /// <summary>Adds the server's counts to the totals; returns the plan-cap warning when rows were kept out.</summary>
    private string? Tally(SendOutcome outcome)
    {
        string? capHit = null;
        lock (sync)
        {
            foreach (var result in outcome.Accepted)
            {
                ordersSent += result.OrdersReceived;
                lineItemsSent += result.LineItemsReceived;
                AffinsyMetrics.RecordLineItemsSent(pipeline, result.LineItemsReceived);
                inserted += result.Inserted;
                updated += result.Updated;
                rejected += result.Rejected;
                if (result.Rejected > 0 || result.Warning is not null)
                {
                    var warning = result.Warning ?? $"{result.Rejected} rows rejected";
                    capHit ??= warning;
                    if (!warnings.Contains(warning))
                    {
                        warnings.Add(warning);
                        logger.LogWarning("Pipeline {Pipeline}: Affinsy kept {Rejected} rows out: {Warning}", pipeline, result.Rejected, warning);
                    }
                }
            }

            deadLettered += outcome.Rejected.Count;
            AffinsyMetrics.RecordDeadLetters(pipeline, outcome.Rejected.Count, DeadLetterReason.RefusedByAffinsy);
        }

        return capHit;
    }

    /// <summary>
    /// Saves the newest checkpoint that became safe, never out of order, then tells the source (under the same lock,
    /// so the source hears of checkpoints one at a time and in order, and only of saved ones).
    /// </summary>
    private async Task PersistAsync(CancellationToken token)
    {
        _ = token; // A safe checkpoint is saved even while stopping, so the next sync re-sends as little as possible.
        await saveLock.WaitAsync(CancellationToken.None);
        try
        {
            if (tracker.TakeSafeCheckpoint() is { } checkpoint)
            {
                await checkpoints.SaveAsync(pipeline, checkpoint, CancellationToken.None);
                saved = checkpoint;
                lag.Saved(checkpoint);
                await source.AcknowledgeAsync(checkpoint, CancellationToken.None);
            }
        }
        finally
        {
            saveLock.Release();
        }
    }

    private void Fail(Exception e)
    {
        lock (sync)
        {
            failure ??= e;
        }

        stop.Cancel();
    }

    /// <summary>Everything read: accepted for sending, and left out by the ledger as unchanged.</summary>
    private long OrdersRead => Interlocked.Read(ref ordersRead) + (ledger?.UnchangedOrders ?? 0);

    private long LineItemsRead => Interlocked.Read(ref lineItemsRead) + (ledger?.UnchangedLineItems ?? 0);

    private void Report()
    {
        if (progress is null)
        {
            return;
        }

        long sent, lines, dead;
        SkipCounts skips;
        SourceProgress? read;
        lock (sync)
        {
            sent = ordersSent;
            lines = lineItemsSent;
            dead = deadLettered;
            skips = skipped.Copy();
            read = sourceProgress;
        }

        progress.Report(new SyncProgress(
            OrdersRead, LineItemsRead, sent, lines, dead, counters.Requests)
        {
            OrdersRefused = Interlocked.Read(ref refused),
            Skipped = skips,
            Source = read,
        });
    }

    private SyncResult Result(CancellationToken cancellationToken, TimeSpan elapsed)
    {
        lock (sync)
        {
            var outcome = failure is not null ? SyncOutcome.Failed
                : cancellationToken.IsCancellationRequested || drained ? SyncOutcome.Cancelled
                : SyncOutcome.Completed;
            return new SyncResult
            {
                Pipeline = pipeline,
                DatasetId = datasetId,
                Outcome = outcome,
                Error = failure?.Message,
                Exception = failure,
                OrdersRead = OrdersRead,
                LineItemsRead = LineItemsRead,
                OrdersUnchanged = ledger?.UnchangedOrders ?? 0,
                LineItemsUnchanged = ledger?.UnchangedLineItems ?? 0,
                OrdersRefused = refused,
                Skipped = skipped.Copy(),
                OrdersDeadLettered = deadLettered,
                OrdersSent = ordersSent,
                LineItemsSent = lineItemsSent,
                Requests = counters.Requests,
                Retries = counters.Retries,
                Throttled = counters.Throttled,
                ServerErrors = counters.ServerErrors,
                TransportFailures = counters.TransportFailures,
                Inserted = inserted,
                Updated = updated,
                Rejected = rejected,
                Warnings = [.. warnings],
                Checkpoint = saved,
                Elapsed = elapsed,
            };
        }
    }
}
