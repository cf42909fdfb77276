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
        MbaThresholds thresholds)
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
            insights.Add(Invariant($"No rule reached the thresholds (minimum confidence {Percent(thresholds.MinConfidence)}, minimum lift {thresholds.MinLift}); lower them to see weaker associations."));
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

    private static string Names(IReadOnlyList<string> names) => string.Join(" + ", names);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Percent(decimal fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
