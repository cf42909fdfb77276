using Affinsy.Core.Sources;

namespace Affinsy.Core.Orders;

/// <summary>
/// The outcome of normalizing one order: a sendable order, the reason it cannot be sent (a dead letter), or the reason
/// it is left out by design (a skip, counted but needing nobody).
/// </summary>
/// <param name="Order">The normalized order, when accepted.</param>
/// <param name="RefusalReason">What is wrong and what to do, when refused.</param>
/// <param name="Skipped">Why the order is left out by design (nothing bought remains: zero quantities, returns).</param>
public readonly record struct NormalizationResult(Order? Order, string? RefusalReason, SkipReason? Skipped = null)
{
    /// <summary>True when the order cannot be sent and needs a person (not when it is skipped by design).</summary>
    public bool IsRefused => Order is null && Skipped is null;
}
