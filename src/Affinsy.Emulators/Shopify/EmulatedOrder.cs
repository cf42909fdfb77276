namespace Affinsy.Emulators.Shopify;

/// <summary>One order in the emulated store, the emulator's own model (independent of the connector's types).</summary>
public sealed record EmulatedOrder(
    long Id,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset ProcessedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt,
    bool Test,
    string Currency,
    long? CustomerId,
    string? Email,
    IReadOnlyList<EmulatedLine> Lines);

/// <summary>
/// A line item: <see cref="CurrentQuantity"/> below <see cref="Quantity"/> models removals and refunds.
/// <see cref="OrderDiscount"/> is the line's share of order-level discounts (a discount allocation that
/// <c>discountedUnitPriceSet</c> does not include); <see cref="RawPrice"/> replaces the original price text to model a
/// malformed amount from the store.
/// </summary>
public sealed record EmulatedLine(
    long Id,
    string? Title,
    string? VariantTitle,
    string? Sku,
    int Quantity,
    int CurrentQuantity,
    decimal OriginalPrice,
    decimal DiscountedPrice,
    decimal OrderDiscount = 0,
    string? RawPrice = null)
{
    /// <summary>The line's own discounts over all units ordered (line-level discount applications).</summary>
    public decimal LineDiscount => (OriginalPrice - DiscountedPrice) * Quantity;
}
