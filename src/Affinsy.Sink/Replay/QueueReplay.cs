using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Sink.Replay;

/// <summary>
/// <c>dead-letters replay</c> of the letters a source keeps outside the store (<see cref="IDeadLetterQueue"/>: a Kafka
/// dead-letter topic). The queue's replay is a source: its batches go through a sync like any other (normalize, pack,
/// the shared sender, the ledger when on; whole-order refusals to the dead-letter store), with a checkpoint store that
/// keeps nothing, since the queue remembers what was replayed itself when each batch is acknowledged (and, given the
/// state store's <see cref="IReplayedLetters"/>, records the ids of the letters sent, so a later replay skips a further
/// copy of one). A dry run reads and normalizes each batch and sends, acknowledges and writes nothing.
/// </summary>
public sealed class QueueReplay(
    AffinsySender sender,
    IDeadLetterStore deadLetters,
    ICheckpointStore checkpoints,
    IOrderLedger? ledger,
    TimeProvider time,
    ILogger? logger = null,
    IReplayedLetters? replayed = null)
{
    public async Task<QueueReplayResult> RunAsync(
        string pipeline, string datasetId, IDeadLetterQueue queue, string? reason, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        await using var replay = queue.OpenReplay(reason, dryRun, replayed);
        if (dryRun)
        {
            long orders = 0, lines = 0, refused = 0;
            string? error = null;
            try
            {
                await foreach (var batch in replay.ReadAsync(null, cancellationToken))
                {
                    var normalized = batch.Normalize();
                    orders += normalized.Orders.Count;
                    lines += normalized.Orders.Sum(o => o.LineItems.Count);
                    refused += normalized.Refusals.Count - batch.Refusals.Count;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // As a sync reports a source that fails: its message, and the replay stops.
                error = e.Message;
            }

            return new QueueReplayResult(queue.Location, replay.Counts) { OrdersSent = orders, LineItemsSent = lines, RefusedByPipeline = refused, Error = error };
        }

        var sync = await new PipelineSync(sender, new KeptNowhere(checkpoints), deadLetters, time, logger ?? NullLogger.Instance, ledger)
            .RunAsync(pipeline, datasetId, replay, null, cancellationToken);
        return new QueueReplayResult(queue.Location, replay.Counts)
        {
            OrdersSent = sync.OrdersSent,
            LineItemsSent = sync.LineItemsSent,
            // The sync counts the letters sent back to the queue among its refusals; the rest went to the store.
            RefusedByPipeline = Math.Max(0, sync.OrdersRefused - replay.Counts.StillFailingTotal) + sync.OrdersDeadLettered,
            Error = sync.Outcome == SyncOutcome.Completed ? null : sync.Error ?? "the replay was stopped",
        };
    }

    /// <summary>A replay's checkpoints are the queue's own: saves are dropped, and the pipeline's checkpoint never moves.</summary>
    private sealed class KeptNowhere(ICheckpointStore real) : ICheckpointStore
    {
        public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => Task.FromResult<Checkpoint?>(null);

        public Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => real.ResetAsync(pipeline, cancellationToken);

        public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => real.ListAsync(cancellationToken);
    }
}

/// <summary>What a replay of a dead-letter queue did.</summary>
/// <param name="Location">The queue (<c>Kafka topic orders-dlt</c>).</param>
/// <param name="Counts">The queue's own counts: read, re-read into orders, acknowledged, still failing, kept, not replayable.</param>
public sealed record QueueReplayResult(string Location, QueuedReplayCounts Counts)
{
    /// <summary>Orders Affinsy acknowledged (on a dry run: orders that would be sent).</summary>
    public long OrdersSent { get; init; }

    /// <summary>Their line items.</summary>
    public long LineItemsSent { get; init; }

    /// <summary>Orders re-read whole but refused by the pipeline's order rules: written to the dead-letter store (on a dry run: would be).</summary>
    public long RefusedByPipeline { get; init; }

    /// <summary>Why the replay's sync failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>True when every letter read now passes.</summary>
    public bool AllPassed => Error is null && Counts.StillFailingTotal == 0 && Counts.NotReplayableTotal == 0 && RefusedByPipeline == 0;
}
