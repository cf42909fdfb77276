using Affinsy.Core.State;

namespace Affinsy.Core.Sources;

/// <summary>
/// Optional part of a source: reads a dead letter's <see cref="DeadLetter.OriginalRecord"/> again through the source's
/// current configuration (its mapping, options, formats), so <c>dead-letters replay</c> can send what a fix made
/// sendable. A source re-reads only its own records; letters the Affinsy API refused hold the order as JSON and are
/// replayed by the framework whatever the source. The framework normalizes, sends, and dead-letters again, as in a sync.
/// </summary>
public interface IRecordReplayer
{
    /// <summary>
    /// Re-reads one letter's record. Every draft's origin and every refusal's position and record must be the letter's
    /// own (<see cref="RecordReplay.Attach"/> does it), so a record that still fails for the same reason is the same
    /// dead letter and is not written twice.
    /// </summary>
    ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken);
}

/// <summary>Creates a source's re-reader for one pipeline (bound from the same YAML section as the source).</summary>
public delegate IRecordReplayer RecordReplayerFactory(SourceContext context);

/// <summary>What re-reading a letter gave: drafts and refusals (a batch without a checkpoint), or why it cannot be re-read.</summary>
/// <param name="Batch">The drafts and refusals the record now yields; null when it is not replayable.</param>
/// <param name="NotReplayable">Why the record cannot be re-read (cut when stored, written by an older version...), with what to do.</param>
public sealed record RecordReplay(OrderBatch? Batch, string? NotReplayable = null)
{
    /// <summary>A record that cannot be re-read, for <paramref name="reason"/>.</summary>
    public static RecordReplay Cannot(string reason) => new(null, reason);

    /// <summary>
    /// The batch a re-read yielded, with every draft's origin and every refusal's position and record set to
    /// <paramref name="letter"/>'s: replayed again later, it re-reads the same text, and a refusal for the same reason
    /// has the letter's identity.
    /// </summary>
    public static RecordReplay Attach(DeadLetter letter, IReadOnlyList<OrderBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(batches);
        var origin = Orders.RecordOrigin.Of(letter.Position, letter.OriginalRecord);
        var drafts = new List<Orders.OrderDraft>();
        var refusals = new List<Refusal>();
        SkipCounts? skipped = null;
        foreach (var batch in batches)
        {
            foreach (var draft in batch.Drafts)
            {
                draft.Origin = origin;
                drafts.Add(draft);
            }

            foreach (var refusal in batch.Refusals)
            {
                refusals.Add(refusal with { Position = letter.Position, OriginalRecord = letter.OriginalRecord });
            }

            if (batch.Skipped is { IsEmpty: false } skips)
            {
                (skipped ??= new SkipCounts()).Add(skips);
            }
        }

        return new RecordReplay(new OrderBatch(drafts, refusals, null) { Skipped = skipped });
    }
}
