using System.Globalization;
using System.Text;
using CsCheck;

namespace Affinsy.Reference.Tests.Fuzz;

/// <summary>
/// Ingest bodies for property tests: valid requests in the contract's shape, then broken the ways real clients
/// and networks break them (cut short, bytes flipped or dropped, stretches repeated, invalid UTF-8 and lone
/// surrogate escapes inserted, amounts past the limit).
/// </summary>
internal static class IngestBodies
{
    private static readonly Gen<string> Product = Gen.OneOf("Tea", "Cup", "Pot", "Caf\u00e9", "\u65e5\u672c\u8336", " Tea ", "a\\\"b", "\\u00e9t\\u00e9");

    // One amount in ten is an edge: zero, at or past the 1e15 limit, huge, or the smallest double.
    private static readonly Gen<double> Amount = Gen.Select(Gen.Int[0, 9], Gen.Double[0, 100], Gen.OneOf(0.0, 1e15, 9e14, 1e300, 5e-324),
        (pick, ordinary, edge) => pick == 0 ? edge : Math.Round(ordinary, 2));

    private static readonly Gen<string> Line = Gen.Select(Product, Amount, Amount, (name, price, quantity) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"product_name":"{{name}}","unit_price":{{price:R}},"quantity":{{quantity:R}}}"""));

    private static readonly Gen<string> Order = Gen.Select(Gen.Int[0, 40], Gen.OneOf<string?>(null, "alice", "bob"), Gen.Bool, Line.Array[1, 4],
        (id, customer, dated, lines) => $$"""{"order_id":"o{{id}}"{{(customer is null ? "" : $",\"customer_id\":\"{customer}\"")}}{{(dated ? ",\"order_date\":\"2025-03-15T10:30:00Z\"" : "")}},"line_items":[{{string.Join(',', lines)}}]}""");

    /// <summary>A request the contract accepts, apart from the occasional amount past the limit.</summary>
    public static readonly Gen<byte[]> Valid = Gen.Select(Gen.OneOf("s", "t"), Order.Array[1, 5],
        (dataset, orders) => Encoding.UTF8.GetBytes($$"""{"dataset_id":"{{dataset}}","orders":[{{string.Join(',', orders)}}]}"""));

    private static readonly byte[][] Inserts =
    [
        [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xE9], [0xF0, 0x9F], // invalid UTF-8: stray, bad continuation, encoded surrogate, Latin-1, cut
        "\\ud800"u8.ToArray(), "\\udc00x"u8.ToArray(), ",\"quantity\":1"u8.ToArray(), ",\"order_id\":\"x\""u8.ToArray(), "1e999"u8.ToArray(),
    ];

    private static readonly Gen<(int Kind, int At, int Size)> Mutation = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, 64]);

    /// <summary>A valid request with zero to three corruptions applied in turn.</summary>
    public static readonly Gen<byte[]> Mutated = Gen.Select(Valid, Mutation.Array[0, 3], (body, mutations) =>
    {
        foreach (var m in mutations)
        {
            body = Apply(body, m.Kind, m.At, m.Size);
        }

        return body;
    });

    private static byte[] Apply(byte[] body, int kind, int at, int size)
    {
        if (body.Length == 0)
        {
            return body;
        }

        var i = at % body.Length;
        var list = new List<byte>(body);
        switch (kind)
        {
            case 0: // cut short, as a dropped connection would
                return body[..i];
            case 1: // a flipped byte
                list[i] = (byte)(list[i] ^ (1 << (size % 8)));
                break;
            case 2: // a dropped byte: a lost quote, comma or bracket
                list.RemoveAt(i);
                break;
            case 3: // a stretch repeated: duplicate keys, objects and delimiters
                var length = Math.Min(size + 1, body.Length - i);
                list.InsertRange(i + length, body.AsSpan(i, length).ToArray());
                break;
            default: // bytes that are not text, or text that is not Unicode
                list.InsertRange(i, Inserts[size % Inserts.Length]);
                break;
        }

        return [.. list];
    }
}
