using Affinsy.Core.Configuration;
using System.Threading.Channels;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Api;
using Affinsy.Sink.Replay;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// One sync, in the order of the flow: the source is read and normalized on its own task into a bounded channel
/// (<see cref="SourceReading"/>); this task packs and launches requests, at most <see cref="SinkOptions.MaxInFlight"/>
/// at a time (<see cref="OrdersInFlight"/> keeps two versions of an order in order); each request's completion
/// acknowledges its orders (<see cref="AckTracker"/>), which saves whatever checkpoint became safe and tells the source
/// (<see cref="CheckpointSaver"/>). What happened is counted in <see cref="RunCounters"/>.
/// </summary>
internal sealed class PipelineRun
{
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
    private readonly SendCounters requestCounters;
    private readonly RunCounters counters;
    private readonly RunLedger? ledger;
    private readonly CheckpointLag lag;
    private readonly SemaphoreSlim launchSlots;
    private readonly Lock sync = new();
    private readonly OrdersInFlight inFlight = new();

    /// <summary>Requests launched and not yet swept (touched only by the packing task until all are awaited).</summary>
    private readonly List<Task> sends = [];
    private CancellationTokenSource stop = null!;
    private CheckpointSaver saver = null!;
    private Exception? failure;
    private volatile bool drained;

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
        requestCounters = new SendCounters { Pipeline = pipeline };
        counters = new RunCounters(pipeline, requestCounters, ledger, logger);
        lag = new CheckpointLag(pipeline, time);
        launchSlots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    public async Task<SyncResult> RunAsync(IOrderSource source, CancellationToken cancellationToken, CancellationToken drain = default)
    {
        var started = time.GetTimestamp();
        saver = new CheckpointSaver(pipeline, tracker, checkpoints, source, lag);
        using (stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var token = stop.Token;
            var channel = Channel.CreateBounded<NormalizedBatch>(new BoundedChannelOptions(options.ChannelCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            Task<bool> reading = Task.FromResult(false);
            try
            {
                if (ledger is not null)
                {
                    await ledger.VerifyAsync(sender.Client, options, time, checkpoints, token);
                }

                var from = await checkpoints.GetAsync(pipeline, token);
                reading = Task.Run(() => SourceReading.RunAsync(pipeline, source, from, ledger, channel.Writer, token, drain), CancellationToken.None);
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
            drained |= await reading;
            await SaveSafeCheckpointAsync();
        }

        return Result(cancellationToken, time.GetElapsedTime(started));
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
        counters.Accepted(batch);
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

            counters.Refused();
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
        await saver.SaveSafeAsync();
    }

    private async Task DeadLetterOversizedAsync(Order order, CancellationToken token)
    {
        var reason = $"Order {order.OrderId} has {order.LineItems.Count} line items; one request carries at most "
            + $"{options.MaxLineItemsPerRequest} (max_line_items_per_request; the API's own limit is {SinkOptions.ApiMaxLineItemsPerRequest}) "
            + "and an order is never split. Split the order at the source or raise the limit.";
        await deadLetters.WriteAsync(
            pipeline,
            new DeadLetter(reason, OrderLetters.TooLargePosition(order.OrderId), OrderWireFormat.ToJson(order), order.OrderId, time.GetUtcNow()),
            token);
        counters.TooLarge();
        logger.LogWarning("Pipeline {Pipeline}: order {OrderId} is too large to send and was dead-lettered.", pipeline, order.OrderId);
    }

    private async Task LaunchAsync(PackedRequest request, CancellationToken token)
    {
        await launchSlots.WaitAsync(token);
        sends.RemoveAll(t => t.IsCompleted);
        await inFlight.EarlierCarriersAsync(request); // never faults: SendAndAcknowledgeAsync handles its own failures
        var send = SendAndAcknowledgeAsync(request);
        inFlight.Launched(request, send);
        sends.Add(send);
    }

    private async Task SendAndAcknowledgeAsync(PackedRequest request)
    {
        var token = stop.Token;
        try
        {
            var outcome = await sender.SendAsync(datasetId, request.Orders, requestCounters, token);
            foreach (var refusal in outcome.Rejected)
            {
                await deadLetters.WriteAsync(
                    pipeline,
                    new DeadLetter(
                        refusal.Reason,
                        OrderLetters.RefusedByAffinsyPosition(datasetId),
                        OrderWireFormat.ToJson(refusal.Order),
                        refusal.Order.OrderId,
                        time.GetUtcNow(),
                        refusal.Details),
                    token);
            }

            var capHit = counters.Tally(outcome);
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
            await saver.SaveSafeAsync();
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

    /// <summary>The last save of the run, once every request has finished; a failure to save fails the sync.</summary>
    private async Task SaveSafeCheckpointAsync()
    {
        try
        {
            await saver.SaveSafeAsync();
        }
        catch (Exception e)
        {
            Fail(e);
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

    private void Report() => progress?.Report(counters.Progress());

    private SyncResult Result(CancellationToken cancellationToken, TimeSpan elapsed)
    {
        Exception? failed;
        lock (sync)
        {
            failed = failure;
        }

        var outcome = failed is not null ? SyncOutcome.Failed
            : cancellationToken.IsCancellationRequested || drained ? SyncOutcome.Cancelled
            : SyncOutcome.Completed;
        return counters.Result(new SyncResult
        {
            Pipeline = pipeline,
            DatasetId = datasetId,
            Outcome = outcome,
            Error = failed?.Message,
            Exception = failed,
            Checkpoint = saver.Saved,
            Elapsed = elapsed,
        });
    }
}
