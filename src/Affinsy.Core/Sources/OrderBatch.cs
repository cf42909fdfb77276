using Affinsy.Core.Orders;

namespace Affinsy.Core.Sources;

/// <summary>
/// What a source yields: normalized orders, the records it had to refuse, and the checkpoint that
/// becomes safe to persist once this batch and every batch before it are acknowledged by Affinsy.
/// </summary>
/// <param name="Orders">Orders ready to send.</param>
/// <param name="Refusals">Records that cannot be sent, each with its reason; they go to the dead-letter store.</param>
/// <param name="Checkpoint">The position after this batch; null when the source has none to offer yet.</param>
public sealed record OrderBatch(
    IReadOnlyList<Order> Orders,
    IReadOnlyList<Refusal> Refusals,
    Checkpoint? Checkpoint);

/// <summary>A record a source could not turn into a sendable order.</summary>
/// <param name="Reason">What is wrong and what to do about it.</param>
/// <param name="Position">Where in the source it was (line number, offset, message coordinates).</param>
/// <param name="OriginalRecord">The raw record as read, for replay after a fix.</param>
/// <param name="OrderId">The order id when one could be read.</param>
public sealed record Refusal(string Reason, string Position, string OriginalRecord, string? OrderId = null);
