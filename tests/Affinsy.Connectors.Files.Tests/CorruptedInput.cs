using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsCheck;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>
/// A valid CSV or JSON Lines export and the corruptions applied to it, with which of its orders no
/// corruption touched: those must land exactly, whatever happened around them.
/// </summary>
public sealed record CorruptedInput(
    bool Csv,
    bool Gzip,
    int BatchMaxOrders,
    IReadOnlyList<CorruptedInput.Order> Orders,
    IReadOnlyList<CorruptedInput.Corruption> Corruptions,
    double? CutCompressedAt)
{
    public const string Header = "order_id,product_name,unit_price,quantity\n";
    private static readonly string[] Products = ["Tea", "Green tea", "Café crème", "Jam", "Bread", "Crêpe"];

    public enum Kind
    {
        Truncate,
        Flip,
        InvalidUtf8,
        InsertComma,
        DropComma,
        DropNewline,
        InsertNewline,
        InsertQuote,
        Huge,
    }

    /// <summary>One order: its id and line items (product, price, quantity).</summary>
    public sealed record Order(string Id, IReadOnlyList<(string Product, decimal Price, int Quantity)> Items);

    /// <summary>A corruption of record <c>Record</c> (a data record, not the header) at a fraction of its length.</summary>
    public sealed record Corruption(Kind Kind, int Record, double At);

    public static Gen<CorruptedInput> For(bool csv, bool gzip)
    {
        var item = Gen.Select(Gen.Int[0, Products.Length - 1], Gen.Int[0, 4000], Gen.Int[1, 5], (p, cents, q) => (p, cents / 100m, q));
        var order = item.Array[1, 3].Select(items => items.DistinctBy(i => i.p).Select(i => (Products[i.p], i.Item2, i.q)).ToArray());
        var orders = order.Array[2, 12].Select(a => a.Select((items, i) => new Order($"O{i}", items)).ToArray());
        var kind = Gen.Enum<Kind>();
        var corruption = Gen.Select(kind, Gen.Int[0, 100], Gen.Double[0, 1], (k, r, at) => (k, r, at));
        return Gen.Select(orders, corruption.Array[0, 3], Gen.Int[1, 4], Gen.Double[0, 1], (o, c, batch, cut) =>
        {
            var records = csv ? o.Sum(x => x.Items.Count) : o.Length;
            var quoted = false;
            var corruptions = new List<Corruption>();
            foreach (var (k, r, at) in c)
            {
                // Two inserted quotes would pair up and swallow the rows between them into one refused record: a
                // known limit (only a quote left open fails the run), so the generator opens at most one.
                if (k == Kind.InsertQuote && quoted)
                {
                    continue;
                }

                quoted |= k == Kind.InsertQuote;
                corruptions.Add(new Corruption(k, r % records, at));
            }

            return new CorruptedInput(csv, gzip, batch, o, corruptions, gzip && cut < 0.3 ? cut / 0.3 : null);
        });
    }

    /// <summary>The data records (each with its line ending) and the order each belongs to.</summary>
    public List<(int Order, string Text)> Records()
    {
        var records = new List<(int, string)>();
        for (var o = 0; o < Orders.Count; o++)
        {
            var order = Orders[o];
            if (Csv)
            {
                records.AddRange(order.Items.Select(i => (o, string.Create(CultureInfo.InvariantCulture, $"{order.Id},{i.Product},{i.Price},{i.Quantity}\n"))));
            }
            else
            {
                var items = string.Join(",", order.Items.Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"product_name":"{{i.Product}}","unit_price":{{i.Price}},"quantity":{{i.Quantity}}}""")));
                records.Add((o, $$"""{"order_id":"{{order.Id}}","line_items":[{{items}}]}""" + "\n"));
            }
        }

        return records;
    }

    /// <summary>
    /// The corrupted file's bytes, and the orders no corruption touched (present whole before any cut). Over 60
    /// lines: one switch over the corruption kinds, each case short, read best side by side.
    /// </summary>
    public (byte[] File, HashSet<int> Untouched, bool CutHeader, bool CutCompressed) Build()
    {
        var records = Records();
        var bytes = records.Select(r => new List<byte>(Encoding.UTF8.GetBytes(r.Text))).ToList();
        var touched = new HashSet<int>();
        int? cutRecord = null;
        var cutAt = 0.0;
        foreach (var c in Corruptions)
        {
            var record = bytes[c.Record];
            // A position inside the record, before its line ending (changing that is DropNewline's job).
            var at = Math.Min((int)(c.At * (record.Count - 1)), record.Count - 2);
            touched.Add(c.Record);
            switch (c.Kind)
            {
                case Kind.Truncate:
                    (cutRecord, cutAt) = cutRecord is null || c.Record < cutRecord ? (c.Record, c.At) : (cutRecord, cutAt);
                    break;
                case Kind.Flip:
                    record[at] = (byte)"#~!"[at % 3];
                    break;
                case Kind.InvalidUtf8:
                    record.Insert(at, at % 2 == 0 ? (byte)0xFF : (byte)0xC3);
                    break;
                case Kind.InsertComma:
                    record.Insert(at, (byte)',');
                    break;
                case Kind.DropComma:
                    var comma = record.IndexOf((byte)',', at);
                    if (comma >= 0)
                    {
                        record.RemoveAt(comma);
                    }

                    break;
                case Kind.DropNewline:
                    record.RemoveAt(record.Count - 1);
                    touched.Add(c.Record + 1);
                    break;
                case Kind.InsertNewline:
                    record.Insert(at, (byte)'\n');
                    break;
                case Kind.InsertQuote:
                    record.Insert(at, (byte)'"');
                    break;
                case Kind.Huge:
                    record.InsertRange(at, Enumerable.Repeat((byte)'x', 6000));
                    break;
            }
        }

        var file = new List<byte>(Csv ? Encoding.UTF8.GetBytes(Header) : []);
        var cutHeader = false;
        for (var r = 0; r < bytes.Count; r++)
        {
            if (r == cutRecord)
            {
                // Cut inside this record (possibly right at its start: then it is simply absent).
                file.AddRange(bytes[r].Take((int)(cutAt * (bytes[r].Count - 1))));
                for (var rest = r; rest < bytes.Count; rest++)
                {
                    touched.Add(rest);
                }

                cutHeader = Csv && r == 0 && cutAt == 0;
                break;
            }

            file.AddRange(bytes[r]);
        }

        var untouched = Enumerable.Range(0, Orders.Count).ToHashSet();
        foreach (var r in touched.Where(r => r < records.Count))
        {
            untouched.Remove(records[r].Order);
        }

        var content = file.ToArray();
        if (!Gzip)
        {
            return (content, untouched, cutHeader, false);
        }

        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        var compressed = memory.ToArray();
        return CutCompressedAt is { } f && compressed.Length > 1
            ? (compressed[..Math.Max(1, (int)(f * (compressed.Length - 1)))], untouched, cutHeader, true)
            : (compressed, untouched, cutHeader, false);
    }

    public override string ToString() =>
        $"{(Csv ? "csv" : "jsonl")}{(Gzip ? ".gz" : "")} batch={BatchMaxOrders} cut-compressed={CutCompressedAt} corruptions=[{string.Join("; ", Corruptions)}]\n"
        + string.Concat(Records().Select(r => r.Text));
}
