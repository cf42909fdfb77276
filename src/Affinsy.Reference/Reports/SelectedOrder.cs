namespace Affinsy.Reference.Reports;

/// <summary>
/// One order as reports see it, built from its stored rows.
/// </summary>
/// <param name="OrderId">The order id.</param>
/// <param name="CustomerId">The customer, or null.</param>
/// <param name="OrderDate">When it was placed, or null.</param>
/// <param name="Products">The distinct product names, in ordinal order: the order's MBA basket.</param>
internal sealed record SelectedOrder(
    string OrderId,
    string? CustomerId,
    DateTimeOffset? OrderDate,
    IReadOnlyList<string> Products)
{
    private decimal? _spend;

    /// <summary>The UTC calendar date of <see cref="OrderDate"/>: the unit of date filters, recency and the 180/90-day scopes.</summary>
    internal DateOnly? Date { get; } = OrderDate is { } placed ? DateOnly.FromDateTime(placed.UtcDateTime) : null;

    /// <summary>
    /// Sum of unit_price x quantity, in decimal so that ties compare exactly (0.1 + 0.2 equals 0.3).
    /// Throws with the order id when the rows hold amounts too large to total (only spend-based reports need it).
    /// </summary>
    internal decimal Spend => _spend ?? throw SpendTooLarge(OrderId);

    /// <summary>Why a report that needs the order's spend fails.</summary>
    internal static ReportDataException SpendTooLarge(string orderId) => new(
        $"Order '{orderId}' has unit_price x quantity amounts too large to total (beyond {decimal.MaxValue:G3}); re-send it with correct amounts (ingest now refuses lines over 1e15) or delete the dataset.");

    /// <summary>Set once while the order is built; null when it overflowed decimal.</summary>
    internal decimal? SpendOrOverflow
    {
        get => _spend;
        init => _spend = value;
    }
}
