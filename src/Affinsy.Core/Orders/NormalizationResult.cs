namespace Affinsy.Core.Orders;

/// <summary>The outcome of normalizing one order: either a sendable order or the reason it cannot be sent.</summary>
/// <param name="Order">The normalized order, when accepted.</param>
/// <param name="RefusalReason">What is wrong and what to do, when refused.</param>
public readonly record struct NormalizationResult(Order? Order, string? RefusalReason)
{
    /// <summary>True when the order cannot be sent.</summary>
    public bool IsRefused => Order is null;
}
