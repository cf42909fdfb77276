using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Affinsy.Emulators.DemoStore;

/// <summary>A sale of the sample store: its date, buyer and products (quantities of repeated rows added up).</summary>
internal sealed record SampleBasket(DateTime Date, long? CustomerId, string Country, IReadOnlyList<DemoLine> Lines);

/// <summary>
/// The sales of <c>samples/sample-store.csv.gz</c> (embedded; the file the default pipeline reads, see samples/README.md
/// for its schema and model): the catalogue, customers and basket structure the demo store draws from. Cancellations
/// (<c>C</c> invoices), stock adjustments and zero rows are left out: the demo makes its own.
/// </summary>
internal static class SampleBaskets
{
    private static readonly Lazy<IReadOnlyList<SampleBasket>> Loaded = new(Load);

    public static IReadOnlyList<SampleBasket> All => Loaded.Value;

    private static IReadOnlyList<SampleBasket> Load()
    {
        using var resource = typeof(SampleBaskets).Assembly.GetManifestResourceStream("sample-store.csv.gz")
            ?? throw new InvalidOperationException("The sample store is not embedded in Affinsy.Emulators.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        reader.ReadLine(); // header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        var baskets = new List<SampleBasket>(20_000);
        var fields = new List<string>(8);
        string? invoice = null;
        SampleBasket? current = null;
        var lines = new List<DemoLine>();
        while (reader.ReadLine() is { } line)
        {
            Split(line, fields);
            if (fields[0] != invoice)
            {
                Close(baskets, current, lines);
                invoice = fields[0];
                current = invoice.StartsWith('C') ? null : new SampleBasket(
                    DateTime.ParseExact(fields[4], "M/d/yyyy H:mm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    fields[6].Length == 0 ? null : long.Parse(fields[6], CultureInfo.InvariantCulture), fields[7], []);
                lines = [];
            }

            var quantity = int.Parse(fields[3], CultureInfo.InvariantCulture);
            var price = decimal.Parse(fields[5], CultureInfo.InvariantCulture);
            if (current is null || quantity <= 0 || price <= 0)
            {
                continue;
            }

            var same = lines.FindIndex(l => l.Sku == fields[1]);
            if (same >= 0)
            {
                lines[same] = lines[same] with { Quantity = lines[same].Quantity + quantity };
            }
            else
            {
                lines.Add(new DemoLine(fields[1], fields[2], price, quantity));
            }
        }

        Close(baskets, current, lines);
        return baskets;
    }

    private static void Close(List<SampleBasket> baskets, SampleBasket? basket, List<DemoLine> lines)
    {
        if (basket is not null && lines.Count > 0)
        {
            baskets.Add(basket with { Lines = lines });
        }
    }

    /// <summary>RFC 4180 fields of one line (the file quotes only where needed and has no line breaks inside fields).</summary>
    private static void Split(string line, List<string> fields)
    {
        fields.Clear();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
    }
}
