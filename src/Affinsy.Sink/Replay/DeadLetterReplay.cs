using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Sink.Replay;

/// <summary>
/// <c>dead-letters replay</c>: each unresolved letter's record is read again through the pipeline's current
/// configuration (the source's <see cref="IRecordReplayer"/>; an order Affinsy refused from its stored JSON) and sent
/// through the normal path (<see cref="PipelineSync"/>: normalize, pack, the shared sender's limits, the ledger when
/// on), with a throwaway checkpoint store so the pipeline's own checkpoint never moves.
/// <para>
/// A letter whose batch was acknowledged is resolved when nothing was refused again; when its record fails again for
/// its old reason the store keeps the one letter it has (same identity) and it stays unresolved; when it fails for a
/// new reason the new letter is written and supersedes it (the old one is resolved), so <c>list</c> shows each record
/// once, with the reason that holds now. Run it holding the pipeline's lease.
/// </para>
/// </summary>
public sealed class DeadLetterReplay(
    AffinsySender sender,
    IDeadLetterStore deadLetters,
    ICheckpointStore checkpoints,
    IOrderLedger? ledger,
    TimeProvider time,
    ILogger? logger = null)
{
    /// <summary>Letters sent by one sync of the replay; each chunk's letters are resolved before the next is read again.</summary>
    public const int ChunkSize = 1_000;

    /// <param name="letters">The unresolved letters to replay, oldest first.</param>
    /// <param name="replayer">The source's re-reader; null when the source has none.</param>
    /// <param name="noReplayer">Why the source's own records cannot be replayed, used when <paramref name="replayer"/> is null.</param>
    public async Task<ReplayResult> RunAsync(
        string pipeline, string datasetId, IReadOnlyList<StoredDeadLetter> letters, IRecordReplayer? replayer, string noReplayer,
        bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var outcomes = new List<LetterReplay>(letters.Count);
        long orders = 0, lines = 0;
        SyncOutcome? outcome = null;
        string? error = null;
        for (var start = 0; start < letters.Count && error is null; start += ChunkSize)
        {
            var chunk = letters.Skip(start).Take(ChunkSize).ToList();
            var read = new List<(StoredDeadLetter Letter, RecordReplay Replay)>(chunk.Count);
            foreach (var letter in chunk)
            {
                read.Add((letter, await ReadAsync(letter.Letter, replayer, noReplayer, cancellationToken)));
            }

            if (dryRun)
            {
                outcomes.AddRange(read.Select(r => Predict(r.Letter, r.Replay)));
                continue;
            }

            var (sync, fates) = await SendAsync(pipeline, datasetId, read, cancellationToken);
            outcomes.AddRange(fates);
            (orders, lines, outcome) = (orders + sync.OrdersSent, lines + sync.LineItemsSent, sync.Outcome);
            error = sync.Outcome == SyncOutcome.Completed ? null : sync.Error ?? "the replay was stopped";
        }

        // Letters after a chunk that failed were not tried.
        foreach (var letter in letters.Skip(outcomes.Count))
        {
            outcomes.Add(new LetterReplay(letter, LetterFate.NotFinished, [error ?? "not tried"]));
        }

        return new ReplayResult(outcomes, dryRun) { OrdersSent = orders, LineItemsSent = lines, Error = error, Outcome = outcome };
    }

    private static async Task<RecordReplay> ReadAsync(DeadLetter letter, IRecordReplayer? replayer, string noReplayer, CancellationToken cancellationToken) =>
        OrderLetters.HoldsOrder(letter) ? OrderLetters.Read(letter)
        : replayer is null ? RecordReplay.Cannot(noReplayer)
        : await replayer.ReplayAsync(letter, cancellationToken);

    /// <summary>A dry run's verdict: what normalization says now (Affinsy's own checks and the ledger are not consulted).</summary>
    private static LetterReplay Predict(StoredDeadLetter letter, RecordReplay replay)
    {
        if (replay.Batch is not { } batch)
        {
            return new LetterReplay(letter, LetterFate.NotReplayable, [replay.NotReplayable ?? "cannot be read again"]);
        }

        var normalized = batch.Normalize();
        var (orders, lines) = (normalized.Orders.Count, normalized.Orders.Sum(o => o.LineItems.Count));
        return normalized.Refusals.Count > 0
            ? new LetterReplay(letter, LetterFate.StillFailing, [.. normalized.Refusals.Select(r => r.Reason).Distinct(StringComparer.Ordinal)], orders, lines)
            : new LetterReplay(letter, LetterFate.Passed, [normalized.Skipped is { IsEmpty: false } s ? "skipped by design: " + s.Describe() : "passes"], orders, lines);
    }

    /// <summary>Sends one chunk's re-read letters through a sync, then resolves what passed or was superseded.</summary>
    private async Task<(SyncResult Sync, List<LetterReplay> Fates)> SendAsync(
        string pipeline, string datasetId, List<(StoredDeadLetter Letter, RecordReplay Replay)> read, CancellationToken cancellationToken)
    {
        var batches = new List<(int, OrderBatch)>();
        for (var i = 0; i < read.Count; i++)
        {
            if (read[i].Replay.Batch is { } batch)
            {
                batches.Add((i, batch));
            }
        }

        var acknowledged = new ReplayCheckpoints(checkpoints);
        var written = new ReplayLetterStore(deadLetters);
        var sync = batches.Count == 0
            ? new SyncResult { Pipeline = pipeline, DatasetId = datasetId, Outcome = SyncOutcome.Completed }
            : await new PipelineSync(sender, acknowledged, written, time, logger ?? NullLogger.Instance, ledger)
                .RunAsync(pipeline, datasetId, new ReplaySource(batches), null, cancellationToken);

        var again = new RefusedAgain(read.Select(r => r.Letter.Letter).ToList(), batches);
        foreach (var letter in written.Written)
        {
            again.Add(letter);
        }

        var fates = new List<LetterReplay>(read.Count);
        var resolve = new List<string>();
        for (var i = 0; i < read.Count; i++)
        {
            var (stored, replay) = read[i];
            var fate = Fate(stored, replay, i <= acknowledged.Acknowledged || batches.Count == 0, again.Of(i), pipeline, sync.Error);
            if (fate.Resolved)
            {
                resolve.Add(stored.Id);
            }

            fates.Add(fate);
        }

        await deadLetters.ResolveAsync(pipeline, resolve, time.GetUtcNow(), CancellationToken.None);
        return (sync, fates);
    }

    private static LetterReplay Fate(StoredDeadLetter stored, RecordReplay replay, bool acknowledged, IReadOnlyList<DeadLetter> refusedAgain, string pipeline, string? error)
    {
        if (replay.Batch is not { } batch)
        {
            return new LetterReplay(stored, LetterFate.NotReplayable, [replay.NotReplayable ?? "cannot be read again"]);
        }

        var (orders, lines) = (batch.Drafts.Count, batch.Drafts.Sum(d => d.LinesAdded));
        if (!acknowledged)
        {
            return new LetterReplay(stored, LetterFate.NotFinished, [error ?? "the replay stopped before Affinsy acknowledged it"], orders, lines);
        }

        if (refusedAgain.Count == 0)
        {
            return new LetterReplay(stored, LetterFate.Passed, ["passed"], orders, lines) { Resolved = true };
        }

        // Refused again for its old reason: the store kept the one letter it had. For new reasons only: superseded.
        var sameAsBefore = refusedAgain.Any(r => DeadLetterIdentity.Of(pipeline, r) == stored.Id);
        var reasons = refusedAgain.Select(r => r.Reason).Distinct(StringComparer.Ordinal).ToList();
        return new LetterReplay(stored, LetterFate.StillFailing, reasons, orders, lines) { Resolved = !sameAsBefore };
    }
}
