using System.Globalization;

namespace Affinsy.Samples.StoreGenerator;

/// <summary>The shop's products, parsed from <see cref="CatalogueData"/>, with lookups by name and category.</summary>
internal sealed class Catalogue
{
    private readonly Dictionary<string, Product> _byDescription = new(StringComparer.Ordinal);

    private Catalogue(List<Product> products, List<string> categories)
    {
        Products = products;
        Categories = categories;
        foreach (var product in products)
        {
            if (!_byDescription.TryAdd(product.Description, product))
            {
                throw new InvalidOperationException($"Catalogue lists \"{product.Description}\" twice.");
            }
        }

        ByCategory = categories
            .Select(c => (IReadOnlyList<Product>)products.Where(p => p.Category == c).ToList())
            .ToList();
    }

    public IReadOnlyList<Product> Products { get; }

    public IReadOnlyList<string> Categories { get; }

    /// <summary>Products of each category, in the order of <see cref="Categories"/>.</summary>
    public IReadOnlyList<IReadOnlyList<Product>> ByCategory { get; }

    public Product this[string description] =>
        _byDescription.TryGetValue(description, out var product)
            ? product
            : throw new InvalidOperationException($"No product \"{description}\" in the catalogue (check the spelling in the bundle list).");

    public static Catalogue Parse(string text)
    {
        var products = new List<Product>();
        var categories = new List<string>();
        var rows = new List<(string Category, string[] Fields)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                categories.Add(line[1..].Trim());
                continue;
            }

            rows.Add((categories[^1], line.Split('|', StringSplitOptions.TrimEntries)));
        }

        // Variants of one base item ("Tea Towel, Lemon Print", "Tea Towel, Red Stripe") share a stock
        // number and get a letter suffix, as shop SKUs usually do.
        var baseNames = rows.Select(r => BaseName(r.Fields[0])).ToList();
        var baseNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var variantsSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var (category, fields) = rows[i];
            var categoryIndex = categories.IndexOf(category);
            var baseName = baseNames[i];
            if (!baseNumbers.TryGetValue(baseName, out var number))
            {
                number = 20101 + (categoryIndex * 1000) + baseNumbers.Count(kv => kv.Value / 1000 == 20 + categoryIndex);
                baseNumbers.Add(baseName, number);
            }

            var variants = baseNames.Count(b => b == baseName);
            var seen = variantsSeen.GetValueOrDefault(baseName);
            variantsSeen[baseName] = seen + 1;
            var stockCode = variants > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{number}{(char)('A' + seen)}")
                : number.ToString(CultureInfo.InvariantCulture);

            products.Add(new Product(
                Index: i,
                StockCode: stockCode,
                Description: fields[0],
                Category: category,
                PriceCents: (int)(decimal.Parse(fields[1], CultureInfo.InvariantCulture) * 100),
                Popularity: int.Parse(fields[2], CultureInfo.InvariantCulture),
                Season: fields.Length > 3 ? Enum.Parse<Season>(fields[3], ignoreCase: true) : Season.AllYear));
        }

        return new Catalogue(products, categories);
    }

    private static string BaseName(string description)
    {
        var comma = description.IndexOf(", ", StringComparison.Ordinal);
        return comma < 0 ? description : description[..comma];
    }
}
