namespace Affinsy.Reference.Tests.Mining;

/// <summary>Seeded random basket sets: skewed item popularity, empty baskets, repeats inside a basket, names that sort differently by case.</summary>
internal static class RandomBaskets
{
    private static readonly string[] NamePool =
        ["milk", "Milk", "bread", "Bread", "eggs", "jam", "tea", "Tea", "apple", "apples", "z", "Z", "0", "10", "9"];

    public static List<string[]> Generate(Random random, int baskets, int items, double density)
    {
        var names = NamePool.OrderBy(_ => random.Next()).Take(items).ToArray();
        var popularity = names.Select(_ => Math.Clamp(density * (0.2 + (1.6 * random.NextDouble())), 0, 1)).ToArray();
        var result = new List<string[]>(baskets);
        for (var b = 0; b < baskets; b++)
        {
            var basket = new List<string>();
            for (var i = 0; i < names.Length; i++)
            {
                if (random.NextDouble() < popularity[i])
                {
                    basket.Add(names[i]);
                    if (random.Next(10) == 0)
                    {
                        basket.Add(names[i]);
                    }
                }
            }

            result.Add(basket.OrderBy(_ => random.Next()).ToArray());
        }

        return result;
    }
}
