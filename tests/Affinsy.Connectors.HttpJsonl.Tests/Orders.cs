using System.Globalization;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>
/// Orders in the <c>jsonl</c> source's line format (the field table in src/Connectors/Affinsy.Connectors.Files/README.md),
/// and the rows each should become, computed from the same numbers without the connector.
/// </summary>
internal static class Orders
{
    public static string Line(string id, int n) =>
        $$"""{"order_id":"{{id}}","customer_id":"c{{n % 7}}","order_date":"2024-03-01T12:00:00Z","currency":"EUR","line_items":[{"product_name":"Mug","unit_price":"4.50","quantity":2},{"product_name":"Tea {{n}}","unit_price":3.25,"quantity":{{1 + (n % 3)}}}]}""";

    /// <summary><paramref name="pages"/> pages of <paramref name="perPage"/> orders, ids <c>p{page}-{i}</c>.</summary>
    public static List<string[]> Pages(int pages, int perPage) =>
        [.. Enumerable.Range(1, pages).Select(p => Enumerable.Range(1, perPage).Select(i => Line(Id(p, i), (p * 100) + i)).ToArray())];

    public static string Id(int page, int i) => $"p{page}-{i}";

    public static IEnumerable<Row> Rows(string id, int n) =>
    [
        new(id, "Mug", 4.5, 2),
        new(id, "Tea " + n.ToString(CultureInfo.InvariantCulture), 3.25, 1 + (n % 3)),
    ];

    /// <summary>The rows of every order of pages <paramref name="firstPage"/>.. from line <paramref name="firstLine"/> of the first.</summary>
    public static List<Row> Expected(int pages, int perPage, int firstPage = 1, int firstLine = 1) =>
        [.. Enumerable.Range(firstPage, pages - firstPage + 1)
            .SelectMany(p => Enumerable.Range(p == firstPage ? firstLine : 1, perPage - (p == firstPage ? firstLine - 1 : 0)).SelectMany(i => Rows(Id(p, i), (p * 100) + i)))
            .OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];
}

internal sealed record Row(string OrderId, string ProductName, double UnitPrice, double Quantity);
