using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Sink.Replay;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// One <c>dead-letters replay</c> of a pipeline: holding the pipeline's lease (a replay never overlaps a sync; another
/// holder is a <see cref="PipelineBusyException"/>, as for <c>sync</c>), its unresolved letters go through
/// <see cref="DeadLetterReplay"/> with the runtime's shared sender, state store and, when on, the order ledger.
/// </summary>
internal sealed class ReplayPass(ConnectRuntime runtime)
{
    public async Task<ReplayResult> RunAsync(PipelineConfig pipeline, string? reason, bool dryRun, CancellationToken ct)
    {
        var runId = "replay_" + Guid.NewGuid().ToString("N")[..12];
        await using var lease = await PassLease.TakeAsync(
            runtime.State, new ConcurrentDictionary<string, LeaseState>(StringComparer.Ordinal), pipeline.Name, runId, runtime.Time, wait: false, null, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);

        var letters = new List<StoredDeadLetter>();
        await foreach (var stored in runtime.State.DeadLetters.ListAsync(pipeline.Name, stop.Token))
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
            pipeline.Name, pipeline.DatasetId, letters, pipeline.CreateReplayer(runtime.Time, runtime.Loggers), NoReplayer(pipeline), dryRun, stop.Token);
        if (result.Error is not null || pipeline.CreateDeadLetterQueue(runtime.Time, runtime.Loggers) is not { } queue)
        {
            return result;
        }

        // Then the letters the source keeps outside the store (the Kafka dead-letter topic), under the same lease.
        var queued = await new QueueReplay(
            runtime.Sender, runtime.State.DeadLetters, runtime.State.Checkpoints, pipeline.Ledger ? runtime.State.Ledger : null, runtime.Time,
            runtime.Loggers.CreateLogger<QueueReplay>()).RunAsync(pipeline.Name, pipeline.DatasetId, queue, reason, dryRun, stop.Token);
        return result with { Queue = queued, Error = queued.Error };
    }

    /// <summary>Why a pipeline's source records cannot be re-read (letters Affinsy refused are replayed whatever the source).</summary>
    public static string NoReplayer(PipelineConfig pipeline) => pipeline.SourceType switch
    {
        "kafka" => "messages of a Kafka source kept in the dead-letter store are not re-read (only a dead_letter_topic is replayed, and letters "
            + "Affinsy refused, which hold the order as JSON): publish the fixed message to the source topic again, then purge the letter",
        _ => $"the {pipeline.SourceType} source cannot re-read its records (only letters Affinsy refused, which hold the order as JSON, are replayed): "
            + "fix the record at the source and sync it again, then purge the letter",
    };
}
