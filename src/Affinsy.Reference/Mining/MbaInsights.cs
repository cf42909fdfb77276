using System.Globalization;

namespace Affinsy.Reference.Mining;

/// <summary>Plain sentences made only from the report's numbers: no data, the most common product, the strongest bundle, the best cross-sell.</summary>
internal static class MbaInsights
{
    public static IReadOnlyList<string> Describe(
        int baskets,
        int distinctProducts,
        int frequentItemsets,
        RuleSet rules,
        IReadOnlyList<MbaTopProduct> topProducts,
        MbaThresholds thresholds,
        (int Rank, int Baskets) nthPair = default)
    {
        if (baskets == 0)
        {
            return ["There were no baskets to analyse, so no products, itemsets or rules could be found."];
        }

        var insights = new List<string>(4)
        {
            Invariant($"Analysed {baskets} baskets holding {distinctProducts} distinct products; {frequentItemsets} product sets appear in at least {thresholds.MinCount} baskets (minimum support {Percent(thresholds.MinSupport)})."),
        };

        var common = topProducts[0];
        insights.Add(Invariant($"The most common product is {common.ProductName}, in {common.Baskets} baskets ({Percent(common.Support)})."));

        if (rules.Rules.Count == 0)
        {
            insights.Add(NoRule(baskets, thresholds, nthPair));
            return insights;
        }

        // Rules arrive best lift first; the best cross-sell is looked for among the rules kept after the cut.
        var strongest = rules.Rules[0];
        insights.Add(Invariant($"The strongest bundle is {Names(strongest.Antecedent)} with {Names(strongest.Consequent)}: baskets with {Names(strongest.Antecedent)} hold {Names(strongest.Consequent)} {strongest.Lift:0.##} times as often as baskets in general ({strongest.Count} baskets together)."));

        var crossSell = rules.Rules[0];
        foreach (var rule in rules.Rules)
        {
            if (rule.Confidence > crossSell.Confidence)
            {
                crossSell = rule;
            }
        }

        insights.Add(Invariant($"The best cross-sell is {Names(crossSell.Consequent)} to buyers of {Names(crossSell.Antecedent)}: {Percent(crossSell.Confidence)} of their baskets also hold it."));
        return insights;
    }

    /// <summary>Why no rule came out: no basket with two products, pairs under min_support (with the one the data supports), or the other thresholds.</summary>
    private static string NoRule(int baskets, MbaThresholds thresholds, (int Rank, int Baskets) nthPair)
    {
        if (nthPair.Rank == 0)
        {
            return "No basket holds two different products, so no min_support can give a rule: rules need baskets of two products or more.";
        }

        if (nthPair.Baskets < thresholds.MinCount)
        {
            var suggested = RoundDown((decimal)nthPair.Baskets / baskets);
            var which = nthPair.Rank == 1 ? "the most common product pair is" : Invariant($"the {Ordinal(nthPair.Rank)} most common product pair is");
            return Invariant($"No product pair is in {thresholds.MinCount} baskets (minimum support {Percent(thresholds.MinSupport)}); {which} in {nthPair.Baskets}, so min_support={suggested} would make {(nthPair.Rank == 1 ? "it" : Invariant($"at least {nthPair.Rank} pairs"))} frequent.");
        }

        return Invariant($"No rule reached the thresholds (minimum confidence {Percent(thresholds.MinConfidence)}, minimum lift {thresholds.MinLift}); lower them to see weaker associations.");
    }

    /// <summary>Down to two significant digits, so ceil(value x baskets) never exceeds the pair's count.</summary>
    private static string RoundDown(decimal value)
    {
        var scale = 0;
        while (value < 1m && scale < 12)
        {
            value *= 10m;
            scale++;
        }

        var digits = decimal.Floor(value * 10m) / 10m;
        for (var i = 0; i < scale; i++)
        {
            digits /= 10m;
        }

        return digits.ToString("0.############", CultureInfo.InvariantCulture);
    }

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => Invariant($"{n}th"),
        _ => (n % 10) switch { 1 => Invariant($"{n}st"), 2 => Invariant($"{n}nd"), 3 => Invariant($"{n}rd"), _ => Invariant($"{n}th") },
    };

    private static string Names(IReadOnlyList<string> names) => string.Join(" + ", names);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Percent(decimal fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
