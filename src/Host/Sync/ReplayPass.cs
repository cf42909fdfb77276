using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Sink.Replay;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// One <c>dead-letters replay</c> of a pipeline: holding the pipeline's lease (a replay never overlaps a sync; another
/// holder is a <see cref="PipelineBusyException"/>, as for <c>sync</c>), its unresolved letters go through
/// <see cref="DeadLetterReplay"/> with the runtime's shared sender, state store and, when on, the order ledger; then,
/// when the source keeps dead letters outside the store (a Kafka <c>dead_letter_topic</c>), those through <see cref="QueueReplay"/>.
/// </summary>
internal sealed class ReplayPass(ConnectRuntime runtime)
{
    /// <summary>
    /// Replays, recording the replay in the run history as a run of kind <c>replay</c> (a dry run changes nothing and is
    /// not recorded): letters read, line items sent, letters still failing, and its error.
    /// </summary>
    public async Task<ReplayResult> RunAsync(PipelineConfig pipeline, string? reason, bool dryRun, CancellationToken ct)
    {
        var runId = RunRecord.ReplayIdPrefix + Guid.NewGuid().ToString("N")[..12];
        await using var lease = await PassLease.TakeAsync(
            runtime.State, new ConcurrentDictionary<string, LeaseState>(StringComparer.Ordinal), pipeline.Name, runId, runtime.Time, wait: false, null, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        var run = new RunRecord(runId, pipeline.Name, runtime.Worker, runtime.Time.GetUtcNow(), null, RunOutcome.Running, null, 0, 0, 0);
        if (!dryRun)
        {
            await runtime.State.History.RecordRunAsync(run, stop.Token);
        }

        ReplayResult? result = null;
        try
        {
            result = await ReplayAsync(pipeline, reason, dryRun, stop.Token);
            return result;
        }
        finally
        {
            if (!dryRun)
            {
                // Recorded even when stopped: the history must not keep a replay "running" forever.
                await runtime.State.History.RecordRunAsync(Finished(run, result, ct.IsCancellationRequested), CancellationToken.None);
            }
        }
    }

    private async Task<ReplayResult> ReplayAsync(PipelineConfig pipeline, string? reason, bool dryRun, CancellationToken stop)
    {
        var letters = new List<StoredDeadLetter>();
        await foreach (var stored in runtime.State.DeadLetters.ListAsync(pipeline.Name, stop))
        {
            if (stored.ResolvedAt is null && (reason is null || stored.Letter.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase)))
            {
                letters.Add(stored);
            }
        }

        var replay = new DeadLetterReplay(
            runtime.Sender, runtime.State.DeadLetters, runtime.State.Checkpoints, pipeline.Ledger ? runtime.State.Ledger : null, runtime.Time,
            runtime.Loggers.CreateLogger<DeadLetterReplay>());
        var result = await replay.RunAsync(
            pipeline.Name, pipeline.DatasetId, letters, pipeline.CreateReplayer(runtime.Time, runtime.Loggers, runtime.SourceHttp), NoReplayer(pipeline), dryRun, stop);
        if (result.Error is not null || pipeline.CreateDeadLetterQueue(runtime.Time, runtime.Loggers) is not { } queue)
        {
            return result;
        }

        // Then the letters the source keeps outside the store (the Kafka dead-letter topic), under the same lease.
        var queued = await new QueueReplay(
            runtime.Sender, runtime.State.DeadLetters, runtime.State.Checkpoints, pipeline.Ledger ? runtime.State.Ledger : null, runtime.Time,
            runtime.Loggers.CreateLogger<QueueReplay>(), runtime.State.ReplayedLetters).RunAsync(pipeline.Name, pipeline.DatasetId, queue, reason, dryRun, stop);
        return result with { Queue = queued, Error = queued.Error };
    }

    /// <summary>The replay's run as it ended: letters read, line items sent, letters still failing.</summary>
    private RunRecord Finished(RunRecord run, ReplayResult? result, bool interrupted)
    {
        var queue = result?.Queue;
        var outcome = result is { Error: null } ? RunOutcome.Completed : interrupted ? RunOutcome.Interrupted : RunOutcome.Failed;
        var failing = (result?.Letters.Count(l => l.Fate == LetterFate.StillFailing) ?? 0)
            + (queue is null ? 0 : queue.Counts.StillFailingTotal + queue.RefusedByPipeline);
        return run with
        {
            FinishedAt = runtime.Time.GetUtcNow(),
            Outcome = outcome,
            Error = result?.Error ?? (interrupted ? "interrupted" : result is null ? "the replay failed; see the log" : null),
            OrdersRead = (result?.Letters.Count ?? 0) + (queue?.Counts.Read ?? 0),
            LineItemsSent = (result?.LineItemsSent ?? 0) + (queue?.LineItemsSent ?? 0),
            DeadLettered = failing,
        };
    }

    /// <summary>Why a pipeline's source records cannot be re-read (letters Affinsy refused are replayed whatever the source).</summary>
    public static string NoReplayer(PipelineConfig pipeline) =>
        $"the {pipeline.SourceType} source cannot re-read its records (only letters Affinsy refused, which hold the order as JSON, are replayed): "
        + "fix the record at the source and sync it again, then purge the letter";
}
