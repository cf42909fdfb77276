using System.Text;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// The JSON names a JSON Lines order is read from (<c>fields:</c> maps them), and what to suggest when a
/// required one is missing but the object holds a name that looks like it.
/// </summary>
internal sealed record JsonlFields
{
    /// <summary>The keys of <c>fields:</c>, in the order they are described.</summary>
    public static readonly string[] Keys = ["order_id", "customer_id", "order_date", "currency", "line_items", "product_name", "unit_price", "quantity"];

    private static readonly Dictionary<string, string[]> LookAlikes = new(StringComparer.Ordinal)
    {
        ["order_id"] = ["id", "order", "orderid", "ordernumber", "ordernr", "number", "invoice", "invoiceno"],
        ["line_items"] = ["items", "lines", "lineitems", "products", "orderlines", "orderitems", "articles"],
        ["product_name"] = ["name", "product", "productname", "title", "item", "itemname", "description", "sku"],
        ["unit_price"] = ["price", "unitprice", "priceperunit", "cost", "unitcost", "amount", "itemprice"],
        ["quantity"] = ["qty", "quantity", "count", "units", "amount"],
    };

    public JsonlFields(IReadOnlyDictionary<string, string>? map = null)
    {
        string Name(string key) => map is not null && map.TryGetValue(key, out var name) ? name : key;
        OrderId = Encoding.UTF8.GetBytes(Name("order_id"));
        CustomerId = Encoding.UTF8.GetBytes(Name("customer_id"));
        OrderDate = Encoding.UTF8.GetBytes(Name("order_date"));
        Currency = Encoding.UTF8.GetBytes(Name("currency"));
        LineItems = Encoding.UTF8.GetBytes(Name("line_items"));
        ProductName = Encoding.UTF8.GetBytes(Name("product_name"));
        UnitPrice = Encoding.UTF8.GetBytes(Name("unit_price"));
        Quantity = Encoding.UTF8.GetBytes(Name("quantity"));
        Mapped = map is { Count: > 0 };
    }

    public static JsonlFields Default { get; } = new();

    public byte[] OrderId { get; }

    public byte[] CustomerId { get; }

    public byte[] OrderDate { get; }

    public byte[] Currency { get; }

    public byte[] LineItems { get; }

    public byte[] ProductName { get; }

    public byte[] UnitPrice { get; }

    public byte[] Quantity { get; }

    private bool Mapped { get; }

    /// <summary>The name <paramref name="field"/> (one of <see cref="Keys"/>) is read from.</summary>
    public static string Text(byte[] field) => Encoding.UTF8.GetString(field);

    /// <summary>
    /// The reason for a missing required field: names it and, when one of the object's unknown names looks
    /// like it (<c>price</c> for <c>unit_price</c>), suggests mapping that one.
    /// </summary>
    public string Missing(string where, string key, byte[] field, IReadOnlyList<string>? unknown)
    {
        var name = Text(field);
        var shown = Mapped && name != key ? $"'{name}' (mapped from {key})" : $"'{name}'";
        var like = unknown?.FirstOrDefault(u => LooksLike(key, u) || LooksLike(name, u));
        return like is null
            ? $"{where}no {shown}: it is required and is never given a default; add it to the export or map the export's name under source.fields"
            : $"{where}no {shown}, but there is '{like}': is that it? Map it with source.fields: {{ {key}: {like} }} (a missing {key} is never given a default)";
    }

    private static bool LooksLike(string wanted, string candidate)
    {
        var w = Squash(wanted);
        var c = Squash(candidate);
        if (w.Length == 0 || c.Length == 0)
        {
            return false;
        }

        return w == c
            || (LookAlikes.TryGetValue(wanted, out var alikes) && alikes.Contains(c))
            || (c.Length >= 4 && (w.Contains(c, StringComparison.Ordinal) || c.Contains(w, StringComparison.Ordinal)))
            || Distance(w, c) <= Math.Min(2, w.Length / 4);
    }

    private static string Squash(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
