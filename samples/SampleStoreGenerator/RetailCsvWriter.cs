using System.Globalization;
using System.Text;

namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// Writes invoices in the common retail export layout: one row per line item, an invoice's rows together,
/// RFC 4180 (CRLF line ends, fields quoted only when they hold a comma, quote or line break).
/// </summary>
internal static class RetailCsvWriter
{
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    public static byte[] Write(IReadOnlyList<Invoice> invoices)
    {
        var csv = new StringBuilder(8 * 1024 * 1024);
        csv.Append(Header).Append("\r\n");
        foreach (var invoice in invoices)
        {
            var date = invoice.Time.ToString("M/d/yyyy H:mm", CultureInfo.InvariantCulture);
            foreach (var line in invoice.Lines)
            {
                csv.Append(invoice.Number).Append(',');
                csv.Append(line.Product.StockCode).Append(',');
                AppendField(csv, line.Product.Description).Append(',');
                csv.Append(line.Quantity.ToString(CultureInfo.InvariantCulture)).Append(',');
                csv.Append(date).Append(',');
                csv.Append(Price(line.PriceCents)).Append(',');
                csv.Append(invoice.CustomerId).Append(',');
                AppendField(csv, invoice.Country).Append("\r\n");
            }
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString());
    }

    // From whole pence, so no binary floating point ever touches a price.
    private static string Price(int cents) =>
        string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{cents % 100:00}");

    private static StringBuilder AppendField(StringBuilder csv, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return csv.Append(value);
        }

        return csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
