namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// <c>preset: retail</c>: the common retail export layout (InvoiceNo, StockCode, Description, Quantity,
/// InvoiceDate, UnitPrice, CustomerID, Country) with US-style dates. Description is the product name
/// (what a person recognizes in a basket). Cancellation invoices (<c>C</c> prefix) are skipped as <c>cancelled</c>, lines
/// with a negative quantity (returns, stock corrections) are left out and an order of nothing else is skipped as
/// <c>return</c>; zero quantities are dropped by normalization (an order of only those is skipped as <c>zero_quantity</c>).
/// None of these is a dead letter: they are expected business events that need nobody.
/// </summary>
internal static class RetailPreset
{
    public const string Name = "retail";

    public const string DateFormat = "M/d/yyyy H:mm";

    public static CsvColumns Columns { get; } = new()
    {
        OrderId = "InvoiceNo",
        ProductName = "Description",
        UnitPrice = "UnitPrice",
        Quantity = "Quantity",
        CustomerId = "CustomerID",
        OrderDate = "InvoiceDate",
    };

    /// <summary>Spreadsheet round trips turn 17850 into 17850.0; both are the same customer.</summary>
    public static ReadOnlySpan<byte> NormalizeCustomer(ReadOnlySpan<byte> customer) =>
        customer.EndsWith(".0"u8) && customer.Length > 2 && customer[..^2].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            ? customer[..^2]
            : customer;
}
