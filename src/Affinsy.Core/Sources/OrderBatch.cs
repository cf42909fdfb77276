using Affinsy.Core.Orders;

namespace Affinsy.Core.Sources;

/// <summary>
/// What a source yields: order drafts as read (each with its origin), the records it could not even parse,
/// and the checkpoint that becomes safe to persist once this batch and every batch before it are acknowledged
/// by Affinsy. The pipeline normalizes the drafts (<see cref="Normalize"/>); a source never does.
/// <para>
/// Orders a source leaves out by design (cancelled, test, a status that is not a sale...) are not drafts: the source
/// counts them in <see cref="Skipped"/>, once per order per pass, so the run can say what it left out and why without
/// dead-lettering what needs nobody.
/// </para>
/// </summary>
/// <param name="Drafts">Orders as read, not yet normalized; skipped-by-design orders are left out (and counted in <see cref="Skipped"/>).</param>
/// <param name="Refusals">Records that could not be read into a draft at all, each with its reason.</param>
/// <param name="Checkpoint">The position after this batch; null when the source has none to offer yet.</param>
public sealed record OrderBatch(
    IReadOnlyList<OrderDraft> Drafts,
    IReadOnlyList<Refusal> Refusals,
    Checkpoint? Checkpoint)
{
    /// <summary>Orders of this batch the source skipped by design, by reason; null when none.</summary>
    public SkipCounts? Skipped { get; init; }

    /// <summary>How far through a source of known size this batch ends; null when the source cannot say.</summary>
    public SourceProgress? Progress { get; init; }

    /// <summary>
    /// Normalizes every draft with <see cref="OrderNormalizer"/>: sendable orders in source order, and each refused
    /// draft as a <see cref="Refusal"/> built the same way whatever the source (the normalizer's reason, the draft's
    /// origin, its order id), after the source's own refusals. A draft of which nothing bought remains is not refused
    /// but counted as skipped (zero quantities, returns) with the source's own skips. The pipeline calls this once per batch.
    /// </summary>
    public NormalizedBatch Normalize()
    {
        var orders = new List<Order>(Drafts.Count);
        List<Refusal>? refusals = null;
        var skipped = Skipped;
        foreach (var draft in Drafts)
        {
            var result = OrderNormalizer.Normalize(draft);
            if (result.Order is { } order)
            {
                orders.Add(order);
                continue;
            }

            if (result.Skipped is { } reason)
            {
                skipped ??= new SkipCounts();
                if (ReferenceEquals(skipped, Skipped))
                {
                    // The source's counts stay as the source made them.
                    skipped = skipped.Copy();
                }

                skipped.Add(reason);
                continue;
            }

            refusals ??= [.. Refusals];
            refusals.Add(Refusal.Of(draft, result.RefusalReason ?? "refused"));
        }

        return new NormalizedBatch(orders, refusals ?? Refusals, Checkpoint, skipped) { Progress = Progress };
    }
}

/// <summary>A batch after normalization: what the sink sends and what goes to the dead-letter store.</summary>
/// <param name="Orders">Orders ready to send, in source order.</param>
/// <param name="Refusals">The source's refusals, then the drafts normalization refused.</param>
/// <param name="Checkpoint">The source batch's checkpoint.</param>
/// <param name="Skipped">Orders skipped by design (the source's and normalization's), by reason; null when none.</param>
public sealed record NormalizedBatch(
    IReadOnlyList<Order> Orders,
    IReadOnlyList<Refusal> Refusals,
    Checkpoint? Checkpoint,
    SkipCounts? Skipped = null)
{
    /// <summary>The source batch's <see cref="OrderBatch.Progress"/>.</summary>
    public SourceProgress? Progress { get; init; }
}

/// <summary>A record that cannot become a sendable order; it goes to the dead-letter store.</summary>
/// <param name="Reason">What is wrong and what to do about it.</param>
/// <param name="Position">Where in the source it was (line number, offset, message coordinates).</param>
/// <param name="OriginalRecord">The raw record as read, for replay after a fix.</param>
/// <param name="OrderId">The order id when one could be read.</param>
public sealed record Refusal(string Reason, string Position, string OriginalRecord, string? OrderId = null)
{
    /// <summary>
    /// Where the source already delivered this dead letter (a Kafka dead-letter topic), or null. The pipeline counts
    /// a delivered refusal like any other (run summary, run history, <c>affinsy.dead_letters</c>) but does not write it
    /// to the dead-letter store a second time.
    /// </summary>
    public string? DeliveredTo { get; init; }

    /// <summary>The refusal of a draft: its origin's position and raw record (or its order id when it has no origin).</summary>
    public static Refusal Of(OrderDraft draft, string reason)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.Origin is { } origin
            ? new Refusal(reason, origin.Position, origin.OriginalRecord, draft.OrderId)
            : new Refusal(reason, "order " + draft.OrderId, string.Empty, draft.OrderId);
    }
}
