namespace Affinsy.Testing.Shopify;

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

/// <summary>A line item: <see cref="CurrentQuantity"/> below <see cref="Quantity"/> models removals and refunds.</summary>
public sealed record EmulatedLine(
    long Id,
    string Title,
    string? VariantTitle,
    string? Sku,
    int Quantity,
    int CurrentQuantity,
    decimal OriginalPrice,
    decimal DiscountedPrice);
