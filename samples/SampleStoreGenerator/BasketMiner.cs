namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// Brute-force frequent itemsets (up to 4 items) and single-consequent rules with the API's textbook
/// definitions, to check what standard_mba should find in the generated baskets. Counts every subset
/// of each basket's frequent items: slow in general, instant for baskets of a handful of items.
/// </summary>
internal static class BasketMiner
{
    private const int MaxLength = 4;
    private const int Bits = 10; // item indexes below 1024

    /// <summary>A rule X -> y with its counts.</summary>
    internal sealed record Rule(int[] Antecedent, int Consequent, int Count, double Support, double Confidence, double Lift);

    /// <summary>Frequent itemset counts by size, and the rules that pass <paramref name="minConfidence"/>.</summary>
    public static (int[] FrequentBySize, List<Rule> Rules) Mine(IReadOnlyList<int[]> baskets, int itemCount, int minSupportPercent, double minConfidence)
    {
        var n = baskets.Count;
        var threshold = ((n * minSupportPercent) + 99) / 100; // ceil(n x percent / 100), exactly
        var single = new int[itemCount];
        foreach (var basket in baskets)
        {
            foreach (var item in basket)
            {
                single[item]++;
            }
        }

        var counts = new Dictionary<ulong, int>();
        Span<int> chosen = stackalloc int[MaxLength];
        foreach (var basket in baskets)
        {
            var frequent = basket.Where(i => single[i] >= threshold).Order().ToArray();
            CountSubsets(frequent, 0, chosen, 0, counts);
        }

        var frequentBySize = new int[MaxLength + 1];
        frequentBySize[1] = single.Count(c => c >= threshold);
        var rules = new List<Rule>();
        foreach (var (key, count) in counts.OrderBy(kv => kv.Key))
        {
            if (count < threshold)
            {
                continue;
            }

            var items = Decode(key);
            frequentBySize[items.Length]++;
            foreach (var consequent in items)
            {
                var antecedent = items.Where(i => i != consequent).ToArray();
                var antecedentCount = antecedent.Length == 1 ? single[antecedent[0]] : counts[Encode(antecedent)];
                var confidence = (double)count / antecedentCount;
                if (confidence >= minConfidence)
                {
                    var lift = confidence / ((double)single[consequent] / n);
                    rules.Add(new Rule(antecedent, consequent, count, (double)count / n, confidence, lift));
                }
            }
        }

        return (frequentBySize, rules);
    }

    private static void CountSubsets(int[] items, int start, Span<int> chosen, int depth, Dictionary<ulong, int> counts)
    {
        if (depth >= 2)
        {
            var key = Encode(chosen[..depth]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        if (depth == MaxLength)
        {
            return;
        }

        for (var i = start; i < items.Length; i++)
        {
            chosen[depth] = items[i];
            CountSubsets(items, i + 1, chosen, depth + 1, counts);
        }
    }

    private static ulong Encode(ReadOnlySpan<int> sortedItems)
    {
        var key = 0UL;
        foreach (var item in sortedItems)
        {
            key = (key << Bits) | (uint)(item + 1);
        }

        return key;
    }

    private static int[] Decode(ulong key)
    {
        var items = new List<int>(MaxLength);
        for (; key != 0; key >>= Bits)
        {
            items.Add((int)(key & ((1UL << Bits) - 1)) - 1);
        }

        items.Reverse();
        return [.. items];
    }
}
