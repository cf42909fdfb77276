using Affinsy.Reference.Mining;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>Turns the miner's coded output into name keys comparable with the oracle's.</summary>
internal static class MiningResults
{
    public static string Key(IEnumerable<string> names) => string.Join("|", names.Order(StringComparer.Ordinal));

    public static Dictionary<string, int> ByKey(BasketSet baskets, FrequentItemsets itemsets)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < itemsets.Count; i++)
        {
            var names = new List<string>();
            foreach (var code in itemsets.Items(i))
            {
                names.Add(baskets.ItemName(code));
            }

            result.Add(Key(names), itemsets.BasketCount(i));
        }

        return result;
    }

    public static BasketSet Build(IEnumerable<IEnumerable<string>> baskets)
    {
        var builder = new BasketSetBuilder();
        foreach (var basket in baskets)
        {
            builder.Add(basket);
        }

        return builder.Build();
    }
}
