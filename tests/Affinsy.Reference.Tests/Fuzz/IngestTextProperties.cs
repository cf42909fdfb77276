using System.Text.Encodings.Web;
using System.Text.Json;
using Affinsy.Reference.Http;
using CsCheck;
using Xunit;

namespace Affinsy.Reference.Tests.Fuzz;

/// <summary>
/// Product names and customer ids come out of the parser as System.Text.Json's own <see cref="JsonDocument"/> reads
/// them (a decoder nobody here wrote), whether raw UTF-8 or escaped, short or past the parser's shared-text length,
/// and however often a value repeats across requests (the parser shares the strings of repeated values).
/// </summary>
public sealed class IngestTextProperties
{
    // Raw UTF-8 for every non-ASCII letter, so the parser sees unescaped multi-byte text; quotes and control
    // characters are still escaped.
    private static readonly JsonWriterOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ASCII, Latin-1, CJK and a surrogate pair: 1 to 4 UTF-8 bytes a character.
    private static readonly Gen<string> Name =
        Gen.Select(Gen.OneOf("a", "Z", "é", "ß", "中", "😀", " ", "\"", "\\", "-").Array[1, 140], parts => string.Concat(parts));

    [Fact]
    public void Names_and_customer_ids_read_as_a_json_document_reads_them() =>
        Gen.Select(Name.Array[1, 6], Name, Gen.Bool).Sample((names, customer, escapeAll) =>
        {
            var body = Body(names, customer, escapeAll);
            using var document = JsonDocument.Parse(body);
            var order = document.RootElement.GetProperty("orders")[0];
            var expected = order.GetProperty("line_items").EnumerateArray()
                .Select(l => l.GetProperty("product_name").GetString()!)
                .Reverse().DistinctBy(n => n, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

            // Twice: the second parse meets every value again.
            for (var pass = 0; pass < 2; pass++)
            {
                var parse = IngestRequestParser.Parse(body);
                Assert.Null(parse.MalformedMessage);
                Assert.Empty(parse.Details);
                Assert.Equal(expected, parse.Rows.Select(r => r.ProductName).Order(StringComparer.Ordinal).ToArray());
                Assert.All(parse.Rows, r => Assert.Equal(order.GetProperty("customer_id").GetString(), r.CustomerId));
            }
        }, iter: 500);

    private static byte[] Body(string[] names, string customer, bool escapeAll)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, escapeAll ? default : Raw))
        {
            w.WriteStartObject();
            w.WriteString("dataset_id", "d");
            w.WriteStartArray("orders");
            w.WriteStartObject();
            w.WriteString("order_id", "o1");
            w.WriteString("customer_id", customer);
            w.WriteStartArray("line_items");
            foreach (var name in names)
            {
                w.WriteStartObject();
                w.WriteString("product_name", name);
                w.WriteNumber("unit_price", 1.5);
                w.WriteNumber("quantity", 2);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
