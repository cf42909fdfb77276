using System.Text;
using Affinsy.Core.Configuration;

namespace Affinsy.Core.Sources.Jsonl;

/// <summary>
/// The JSON names a JSON Lines order is read from (<c>fields:</c> maps them), and what to suggest when a
/// required one is missing but the object holds a name that looks like it.
/// </summary>
public sealed record JsonlFields
{
    /// <summary>The keys of <c>fields:</c>, in the order they are described.</summary>
    internal static readonly string[] Keys = ["order_id", "customer_id", "order_date", "currency", "line_items", "product_name", "unit_price", "quantity"];

    private static readonly Dictionary<string, string[]> LookAlikes = new(StringComparer.Ordinal)
    {
        ["order_id"] = ["id", "order", "orderid", "ordernumber", "ordernr", "number", "invoice", "invoiceno"],
        ["line_items"] = ["items", "lines", "lineitems", "products", "orderlines", "orderitems", "articles"],
        ["product_name"] = ["name", "product", "productname", "title", "item", "itemname", "description", "sku"],
        ["unit_price"] = ["price", "unitprice", "priceperunit", "cost", "unitcost", "amount", "itemprice"],
        ["quantity"] = ["qty", "quantity", "count", "units", "amount"],
    };

    /// <summary>The names to read: each key of <c>fields:</c> (<c>unit_price</c>...) given in <paramref name="map"/> is read from the name it maps to, the others from their own name.</summary>
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

    /// <summary>Affinsy's own names, unmapped.</summary>
    public static JsonlFields Default { get; } = new();

    internal byte[] OrderId { get; }

    internal byte[] CustomerId { get; }

    internal byte[] OrderDate { get; }

    internal byte[] Currency { get; }

    internal byte[] LineItems { get; }

    internal byte[] ProductName { get; }

    internal byte[] UnitPrice { get; }

    internal byte[] Quantity { get; }

    private bool Mapped { get; }

    /// <summary>
    /// The <c>fields:</c> map of a source section (its keys checked against <c>order_id</c> ... <c>quantity</c>, every
    /// problem reported through the section), or <see cref="Default"/> when the section has none.
    /// </summary>
    public static JsonlFields Read(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.GetSection("fields") is not { } fields)
        {
            return Default;
        }

        fields.RejectUnknownKeys(Keys);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (fields.GetString(key) is { Length: > 0 } name)
            {
                map[key] = name;
            }
        }

        return new JsonlFields(map);
    }

    /// <summary>The name <paramref name="field"/> (one of <see cref="Keys"/>) is read from.</summary>
    internal static string Text(byte[] field) => Encoding.UTF8.GetString(field);

    /// <summary>
    /// The reason for a missing required field: names it and, when one of the object's unknown names looks
    /// like it (<c>price</c> for <c>unit_price</c>), suggests mapping that one.
    /// </summary>
    internal string Missing(string where, string key, byte[] field, IReadOnlyList<string>? unknown)
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
