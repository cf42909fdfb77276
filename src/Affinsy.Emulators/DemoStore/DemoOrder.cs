namespace Affinsy.Emulators.DemoStore;

/// <summary>What happened to a demo order after it was placed.</summary>
public enum DemoOrderKind
{
    /// <summary>A sale that stands.</summary>
    Sale,

    /// <summary>Cancelled after it was placed (a connector skips it by default).</summary>
    Cancelled,

    /// <summary>A test order placed by the merchant (Shopify's <c>test</c>; a failed payment on WooCommerce).</summary>
    Test,

    /// <summary>Refunded in full: nothing left bought.</summary>
    Refunded,

    /// <summary>One unit of one line refunded; the rest stands.</summary>
    PartlyRefunded,
}

/// <summary>One order of the demo store, independent of any provider's shape.</summary>
public sealed record DemoOrder(
    long Number,
    DateTimeOffset CreatedAt,
    long? CustomerId,
    string? Email,
    string Country,
    DemoOrderKind Kind,
    IReadOnlyList<DemoLine> Lines)
{
    /// <summary>Whether a connector with its default options sends this order (cancelled, test and fully refunded are skipped).</summary>
    public bool IsSent => Kind is DemoOrderKind.Sale or DemoOrderKind.PartlyRefunded;

    /// <summary>When the order last changed: a refund or cancellation comes a few days after the sale.</summary>
    public DateTimeOffset UpdatedAt { get; init; } = CreatedAt;
}

/// <summary>
/// A line: <see cref="RefundedQuantity"/> units were refunded (all of them on a refunded order, one on a partly
/// refunded one's <see cref="DemoStoreGenerator"/>-chosen line).
/// </summary>
public sealed record DemoLine(string Sku, string Name, decimal UnitPrice, int Quantity, int RefundedQuantity = 0);
