namespace Affinsy.Core.Sources;

/// <summary>
/// Optional part of a source: dead letters it delivers outside the dead-letter store (a Kafka dead-letter topic), and
/// how <c>dead-letters replay</c> reads them back. The framework sends what a replay yields through the normal path
/// (normalize, pack, send, dead-letter what the pipeline refuses) and acknowledges each batch as in a sync; the queue
/// remembers what was replayed on its own side (Kafka: a consumer group's committed offsets), so a queued letter is
/// replayed once.
/// </summary>
public interface IDeadLetterQueue
{
    /// <summary>Where the letters are, for messages (<c>Kafka topic orders-dlt</c>).</summary>
    string Location { get; }

    /// <summary>
    /// Opens one replay: the letters queued now that were not replayed yet (the ones queued while it runs wait for the
    /// next), each re-read through the pipeline's current configuration. A letter that still fails goes back to the
    /// queue with its new reason (its refusal is <see cref="Refusal.DeliveredTo"/> the queue); a letter whose reason
    /// does not contain <paramref name="reason"/> is kept for a later replay. A <paramref name="dryRun"/> reads and
    /// re-reads but delivers, keeps and remembers nothing. With <paramref name="replayed"/>, the ids of the letters it
    /// sent are recorded there once acknowledged, and a letter whose id is there already (a further copy) is skipped, so a
    /// letter is sent once across replays; without it, only within this replay.
    /// </summary>
    IQueuedLetterReplay OpenReplay(string? reason, bool dryRun, State.IReplayedLetters? replayed = null);
}

/// <summary>One replay of a <see cref="IDeadLetterQueue"/>: a source of the re-read letters, and what became of them.</summary>
public interface IQueuedLetterReplay : IOrderSource, IAsyncDisposable
{
    /// <summary>The letters read so far and their fates on the queue's side; final once the read ended and the last batch was acknowledged.</summary>
    QueuedReplayCounts Counts { get; }
}

/// <summary>Creates a source's dead-letter queue for one pipeline (bound from the same YAML section as the source).</summary>
public delegate IDeadLetterQueue DeadLetterQueueFactory(SourceContext context);

/// <summary>What one replay of a dead-letter queue read and did. Written by the replay only; read once it ended.</summary>
public sealed class QueuedReplayCounts
{
    /// <summary>Letters read from the queue.</summary>
    public long Read { get; set; }

    /// <summary>Letters whose record now yields orders (or orders skipped by design): they go to the pipeline.</summary>
    public long Decoded { get; set; }

    /// <summary>Of <see cref="Decoded"/>, letters whose batch Affinsy acknowledged and the queue then marked replayed.</summary>
    public long Acknowledged { get; set; }

    /// <summary>Letters whose record still cannot be read, by their new reason (sent back to the queue unless a dry run).</summary>
    public Dictionary<string, long> StillFailing { get; } = new(StringComparer.Ordinal);

    /// <summary>Letters whose reason does not match the replay's filter: kept for a later replay.</summary>
    public long Kept { get; set; }

    /// <summary>
    /// Further copies of a letter already read in this replay, or sent by an earlier one (the same pipeline and original
    /// position: a dead letter produced again after a crash before its source offset was committed): skipped, so it is
    /// sent or refused once.
    /// </summary>
    public long Duplicates { get; set; }

    /// <summary>Letters that cannot be read again, by why (cut when dead-lettered, not one of this pipeline's).</summary>
    public Dictionary<string, long> NotReplayable { get; } = new(StringComparer.Ordinal);

    /// <summary>Letters still failing, all reasons.</summary>
    public long StillFailingTotal => StillFailing.Values.Sum();

    /// <summary>Letters not replayable, all reasons.</summary>
    public long NotReplayableTotal => NotReplayable.Values.Sum();

    /// <summary>Adds one to <paramref name="counts"/>[<paramref name="reason"/>].</summary>
    public static void Add(Dictionary<string, long> counts, string reason)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts[reason] = counts.GetValueOrDefault(reason) + 1;
    }
}
