namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// Which header names hold each order field. Optional columns (customer, date, currency) are used
/// when present; a column named explicitly in YAML must exist in the header.
/// </summary>
internal sealed record CsvColumns
{
    public string OrderId { get; init; } = "order_id";

    public string ProductName { get; init; } = "product_name";

    public string UnitPrice { get; init; } = "unit_price";

    public string Quantity { get; init; } = "quantity";

    public string CustomerId { get; init; } = "customer_id";

    public string OrderDate { get; init; } = "order_date";

    public string Currency { get; init; } = "currency";

    /// <summary>Optional columns that were named explicitly and so must exist.</summary>
    public IReadOnlySet<string> Required { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
