namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// <c>preset: retail</c>: the common retail export layout (InvoiceNo, StockCode, Description, Quantity,
/// InvoiceDate, UnitPrice, CustomerID, Country) with US-style dates. Description is the product name
/// (what a person recognizes in a basket); cancellations and returns are refused, not sent.
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

    public static string CancelledInvoice(string invoice) =>
        $"cancelled invoice '{invoice}' (InvoiceNo starts with C): cancellations are not purchases and are not sent";

    public static string NonPositiveQuantity(string quantity) =>
        $"quantity {quantity} is not positive: returns and stock corrections are not purchases and are not sent";

    /// <summary>Spreadsheet round trips turn 17850 into 17850.0; both are the same customer.</summary>
    public static ReadOnlySpan<byte> NormalizeCustomer(ReadOnlySpan<byte> customer) =>
        customer.EndsWith(".0"u8) && customer.Length > 2 && customer[..^2].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            ? customer[..^2]
            : customer;
}
