namespace Affinsy.Reference.Mining;

/// <summary>Computes an MBA report's results from its baskets: a pure function of the baskets and the params.</summary>
internal static class MbaReport
{
    internal const int TopProductCount = 20;

    /// <summary>With no rule, min_support is suggested from the pair of this rank (the 20th most common).</summary>
    internal const int SuggestionPairs = 20;

    /// <param name="baskets">One list of product names per basket; repeats inside a basket count once.</param>
    /// <param name="maxLen">Largest itemset (0 = no limit).</param>
    public static MbaResults Compute(
        IEnumerable<IReadOnlyList<string>> baskets,
        decimal minSupport,
        decimal minConfidence,
        int maxLen,
        int maxRules,
        decimal minLift,
        int maxConsequent,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSupport);
        var builder = new BasketSetBuilder();
        var added = 0;
        foreach (var basket in baskets)
        {
            if ((added++ & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            builder.Add(basket);
        }

        return Compute(builder.Build(), minSupport, minConfidence, maxLen, maxRules, minLift, maxConsequent, ct);
    }

    /// <summary>The results over baskets already coded (a report that streamed its rows into the builder).</summary>
    public static MbaResults Compute(
        BasketSet set,
        decimal minSupport,
        decimal minConfidence,
        int maxLen,
        int maxRules,
        decimal minLift,
        int maxConsequent,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSupport);
        var minCount = MinimumCount.For(minSupport, set.Count);
        var itemsets = FrequentItemsetMiner.Mine(set, minCount, maxLen, ct);
        var rules = RuleGenerator.Generate(set, itemsets, minConfidence, minLift, maxConsequent, maxRules, ct);
        var shown = rules.Rules.Select(r => new MbaRule(
            r.Antecedent,
            r.Consequent,
            Round(r.Support),
            Round(r.Confidence),
            Round(r.Lift),
            Round(r.Leverage),
            r.Conviction is { } conviction ? Round(conviction) : null,
            r.Count)).ToArray();
        var top = TopProducts(set);
        var thresholds = new MbaThresholds(minSupport, minCount, minConfidence, minLift);
        var pair = rules.Total == 0 && set.Count > 0 ? PairSupport.NthPair(set, SuggestionPairs, ct) : default;
        return new MbaResults(
            set.Count,
            set.DistinctItems,
            itemsets.Count,
            rules.Total,
            shown,
            top,
            MbaInsights.Describe(set.Count, set.DistinctItems, itemsets.Count, rules, top, thresholds, pair));
    }

    private static MbaTopProduct[] TopProducts(BasketSet set) =>
        Enumerable.Range(0, set.DistinctItems)
            .OrderByDescending(set.ItemCount)
            .ThenBy(set.ItemName, StringComparer.Ordinal)
            .Take(TopProductCount)
            .Select(code => new MbaTopProduct(set.ItemName(code), set.ItemCount(code), Round((double)set.ItemCount(code) / set.Count)))
            .ToArray();

    private static double Round(double value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
