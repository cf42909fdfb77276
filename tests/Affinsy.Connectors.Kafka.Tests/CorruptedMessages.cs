using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Connectors.Kafka.Formats;
using Confluent.Kafka;
using CsCheck;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// Valid order messages in one of the Kafka formats, spread over three partitions, and random corruptions of some of
/// them (issue 15): a cut, a flipped byte, invalid UTF-8, a doubled or dropped JSON delimiter, a 100 KB string, an
/// empty value, a foreign payload. Records which orders no corruption touched: those must land exactly.
/// </summary>
/// <remarks>
/// The <c>shopify</c> and <c>woocommerce</c> payloads keep to fields of the documented order objects (Shopify's
/// REST Order resource, the shape of its orders/create webhook; WooCommerce's REST v3 order) with no discount, so the
/// expected price is the listed one.
/// </remarks>
internal sealed record CorruptedMessages(string Format, IReadOnlyList<CorruptedMessages.Order> Orders, IReadOnlyList<CorruptedMessages.Corruption> Corruptions)
{
    public const int Partitions = 3;
    private static readonly string[] Products = ["Tea", "Green tea", "Café crème", "Jam", "Bread", "Crêpe"];

    public enum Kind
    {
        Truncate,
        Flip,
        InvalidUtf8,
        DoubleDelimiter,
        DropDelimiter,
        Huge,
        Empty,
        Foreign,
    }

    /// <summary>One order: id, customer and lines (product, price, quantity).</summary>
    public sealed record Order(string Id, string Customer, IReadOnlyList<(string Product, decimal Price, int Quantity)> Items);

    /// <summary>A corruption of message <c>Message</c> at a fraction of its length.</summary>
    public sealed record Corruption(Kind Kind, int Message, double At);

    public static Gen<CorruptedMessages> For(string format)
    {
        var item = Gen.Select(Gen.Int[0, Products.Length - 1], Gen.Int[1, 4000], Gen.Int[1, 5], (p, cents, q) => (p, cents / 100m, q));
        var order = item.Array[1, 3].Select(items => items.DistinctBy(i => i.p).Select(i => (Products[i.p], i.Item2, i.q)).ToArray());
        var orders = order.Array[2, 10].Select(a => a.Select((items, i) => new Order((1000 + i).ToString(CultureInfo.InvariantCulture), $"c{i % 4}", items)).ToArray());
        var corruption = Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 1000], Gen.Double[0, 1], (k, m, at) => (k, m, at));
        return Gen.Select(orders, corruption.Array[0, 3], (o, c) =>
        {
            var count = Messages(format, o).Count;
            return new CorruptedMessages(format, o, [.. c.Select(x => new Corruption(x.k, x.m % count, x.at))]);
        });
    }

    /// <summary>The valid messages, each with the index of the order it belongs to.</summary>
    public static List<(int Order, string Value)> Messages(string format, IReadOnlyList<Order> orders)
    {
        var messages = new List<(int, string)>();
        for (var o = 0; o < orders.Count; o++)
        {
            var order = orders[o];
            switch (format)
            {
                case KafkaFormats.LineItem:
                    messages.AddRange(order.Items.Select(i => (o, KafkaSyncHarness.LineJson(order.Id, order.Customer, i.Product, i.Price, i.Quantity))));
                    messages.Add((o, KafkaSyncHarness.EndJson(order.Id)));
                    break;
                case "shopify":
                    messages.Add((o, Shopify(order)));
                    break;
                case "woocommerce":
                    messages.Add((o, WooCommerce(order)));
                    break;
                default:
                    messages.Add((o, KafkaSyncHarness.OrderJson(order.Id, order.Customer, [.. order.Items.Select(i => (i.Product, i.Price, (decimal)i.Quantity))])));
                    break;
            }
        }

        return messages;
    }

    /// <summary>
    /// The messages as records on three partitions (message i on partition i mod 3, offsets counting per partition),
    /// and the orders no corruption touched. An order is touched when one of its messages is, or when a corrupted
    /// message still parses (by the BCL's JSON reader, not ours) and names its id.
    /// </summary>
    public (List<KafkaRecord> Records, HashSet<int> Untouched) Build()
    {
        var messages = Messages(Format, Orders);
        var values = messages.Select(m => (byte[]?)Encoding.UTF8.GetBytes(m.Value)).ToList();
        var touched = new HashSet<int>();
        foreach (var c in Corruptions)
        {
            touched.Add(messages[c.Message].Order);
            values[c.Message] = Corrupt(values[c.Message], c);
        }

        foreach (var m in Corruptions.Select(c => c.Message).Distinct())
        {
            if (NamedOrderId(values[m]) is { } id && Orders.Select((o, i) => (o, i)).FirstOrDefault(x => x.o.Id == id) is { o: not null } hit)
            {
                touched.Add(hit.i);
            }
        }

        var offsets = new long[Partitions];
        var records = values.Select((v, i) => new KafkaRecord(new TopicPartition("orders", i % Partitions), offsets[i % Partitions]++, DateTimeOffset.UnixEpoch, null, v, null)).ToList();
        return (records, [.. Enumerable.Range(0, Orders.Count).Where(o => !touched.Contains(o))]);
    }

    private static byte[]? Corrupt(byte[]? value, Corruption c)
    {
        if (value is null || value.Length == 0)
        {
            return value;
        }

        var bytes = new List<byte>(value);
        var at = Math.Min((int)(c.At * bytes.Count), bytes.Count - 1);
        switch (c.Kind)
        {
            case Kind.Truncate:
                return [.. bytes.Take(at)];
            case Kind.Flip:
                bytes[at] ^= (byte)(1 << (at % 7));
                break;
            case Kind.InvalidUtf8:
                bytes.Insert(at, at % 2 == 0 ? (byte)0xFF : (byte)0xE9);
                break;
            case Kind.DoubleDelimiter or Kind.DropDelimiter:
                var d = bytes.FindIndex(at, b => b is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)'"' or (byte)',' or (byte)':');
                if (d >= 0)
                {
                    if (c.Kind == Kind.DoubleDelimiter)
                    {
                        bytes.Insert(d, bytes[d]);
                    }
                    else
                    {
                        bytes.RemoveAt(d);
                    }
                }

                break;
            case Kind.Huge:
                var quote = bytes.IndexOf((byte)'"', at);
                bytes.InsertRange(quote < 0 ? at : quote + 1, Enumerable.Repeat((byte)'x', 100_000));
                break;
            case Kind.Empty:
                return at % 2 == 0 ? null : [];
            case Kind.Foreign:
                return Encoding.UTF8.GetBytes("<html><body>502 Bad Gateway</body></html>");
        }

        return [.. bytes];
    }

    private static string? NamedOrderId(byte[]? value)
    {
        try
        {
            using var json = JsonDocument.Parse(value ?? []);
            foreach (var name in new[] { "order_id", "id" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var id))
                {
                    return id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not UTF-8: it names no order.
        }

        return null;
    }

    private static string Shopify(Order order) =>
        $$"""{"id":{{order.Id}},"name":"#{{order.Id}}","test":false,"cancelled_at":null,"currency":"USD","processed_at":"2026-01-10T10:05:00-05:00","customer":{"id":{{order.Customer[1..]}}},"line_items":[{{string.Join(",", order.Items.Select((i, n) =>
            string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{n + 1}},"title":"{{i.Product}}","variant_title":null,"quantity":{{i.Quantity}},"current_quantity":{{i.Quantity}},"price":"{{i.Price:0.00}}","total_discount":"0.00"}""")))}}]}""";

    private static string WooCommerce(Order order) =>
        $$"""{"id":{{order.Id}},"number":"{{order.Id}}","status":"completed","currency":"EUR","customer_id":{{order.Customer[1..]}},"date_created_gmt":"2026-01-10T09:00:00","line_items":[{{string.Join(",", order.Items.Select((i, n) =>
            string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{n + 1}},"name":"{{i.Product}}","product_id":{{10 + n}},"quantity":{{i.Quantity}},"subtotal":"{{i.Price * i.Quantity:0.00}}","total":"{{i.Price * i.Quantity:0.00}}","price":{{i.Price}}}""")))}}]}""";

    public override string ToString() =>
        $"{Format} corruptions=[{string.Join("; ", Corruptions)}]\n" + string.Join("\n", Messages(Format, Orders).Select(m => m.Value));
}
