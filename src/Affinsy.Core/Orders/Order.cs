namespace Affinsy.Core.Orders;

/// <summary>
/// One order as Affinsy stores it: the aggregate every source normalizes into and the sink sends.
/// Instances produced by <see cref="OrderNormalizer"/> are already valid for the API (trimmed,
/// merged, no zero quantities); anything else is a refusal with a reason.
/// </summary>
/// <param name="OrderId">The source's stable order id (1-256 characters).</param>
/// <param name="CustomerId">The customer, when known; needed for RFM and customer scopes.</param>
/// <param name="OrderDate">When the order was placed, in UTC.</param>
/// <param name="Currency">ISO currency code, when the source says.</param>
/// <param name="LineItems">One line per distinct product.</param>
public sealed record Order(
    string OrderId,
    string? CustomerId,
    DateTimeOffset? OrderDate,
    string? Currency,
    IReadOnlyList<LineItem> LineItems)
{
    /// <summary>Where the order came from (pipeline source type), for logs and dead letters.</summary>
    public string? Source { get; init; }

    /// <summary>The source's last-modified time of this order, used by incremental checkpoints.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>A human label from the source (Shopify's "#1001"), for logs only.</summary>
    public string? DisplayName { get; init; }
}

/// <summary>One product line of an order.</summary>
/// <param name="ProductName">The product as analyses will see it (1-512 characters).</param>
/// <param name="UnitPrice">Price of one unit, &gt;= 0.</param>
/// <param name="Quantity">Units bought, &gt; 0.</param>
public sealed record LineItem(string ProductName, decimal UnitPrice, decimal Quantity);
