using System.Text;
using System.Text.Json;
using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

public sealed class MbaReportTests
{
    [Fact]
    public void Results_serialize_to_the_contract_shape_with_six_decimal_metrics()
    {
        string[][] baskets = [["a", "b"], ["b", "a", "a"], ["a"], ["c"]];

        var results = Compute(baskets, minSupport: 0.5m);

        // b->a and a->b share lift 4/3; b->a has confidence 1 so it comes first and has no conviction
        var expected = (
            "{'baskets':4,'distinct_products':3,'frequent_itemsets':3,'rules_total':2,'rules':[" +
            "{'antecedent':['b'],'consequent':['a'],'support':0.5,'confidence':1,'lift':1.333333,'leverage':0.125,'conviction':null,'count':2}," +
            "{'antecedent':['a'],'consequent':['b'],'support':0.5,'confidence':0.666667,'lift':1.333333,'leverage':0.125,'conviction':1.5,'count':2}]," +
            "'top_products':[{'product_name':'a','baskets':3,'support':0.75},{'product_name':'b','baskets':2,'support':0.5},{'product_name':'c','baskets':1,'support':0.25}]," +
            "'insights':[").Replace('\'', '"');
        var json = Encoding.UTF8.GetString(results.ToUtf8Json());
        Assert.StartsWith(expected, json, StringComparison.Ordinal);
        Assert.InRange(results.Insights.Count, 2, 4);
        Assert.Equal(results.Insights, JsonDocument.Parse(json).RootElement.GetProperty("insights").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Insights_name_the_most_common_product_the_strongest_bundle_and_the_best_cross_sell()
    {
        string[][] baskets = [["a", "b"], ["a", "b"], ["a"], ["c"]];

        var insights = Compute(baskets, minSupport: 0.5m).Insights;

        Assert.Contains(insights, s => s.Contains("most common product is a, in 3 baskets (75%)", StringComparison.Ordinal));
        Assert.Contains(insights, s => s.Contains("strongest bundle is b with a", StringComparison.Ordinal) && s.Contains("1.33 times", StringComparison.Ordinal));
        Assert.Contains(insights, s => s.Contains("best cross-sell is a to buyers of b: 100%", StringComparison.Ordinal));
    }

    [Fact]
    public void No_baskets_give_empty_results_and_say_there_was_no_data()
    {
        var results = Compute([], minSupport: 0.01m);

        Assert.Equal(0, results.Baskets);
        Assert.Equal(0, results.DistinctProducts);
        Assert.Equal(0, results.FrequentItemsets);
        Assert.Equal(0, results.RulesTotal);
        Assert.Empty(results.Rules);
        Assert.Empty(results.TopProducts);
        Assert.Contains("no baskets", Assert.Single(results.Insights), StringComparison.Ordinal);
        Assert.StartsWith(
            "{'baskets':0,'distinct_products':0,'frequent_itemsets':0,'rules_total':0,'rules':[],'top_products':[],'insights':['".Replace('\'', '"'),
            Encoding.UTF8.GetString(results.ToUtf8Json()),
            StringComparison.Ordinal);
    }

    [Fact]
    public void When_no_rule_reaches_the_thresholds_an_insight_says_so()
    {
        // every pair is frequent, but the best confidence is 1/2
        string[][] baskets = [["a", "b"], ["a"], ["b"], ["a", "c"], ["c"]];

        var results = Compute(baskets, minSupport: 0.2m, minConfidence: 1m);

        Assert.Equal(5, results.FrequentItemsets);

        Assert.Equal(0, results.RulesTotal);
        Assert.Contains(results.Insights, s => s.StartsWith("No rule reached the thresholds", StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_frequent_pair_the_insight_suggests_the_min_support_of_the_twentieth_most_common_pair()
    {
        // 30 products; pair (p_k, p_k+1) is in k + 1 baskets for k = 0..28, so the pairs' counts are 1..29 and the
        // 20th most common is in 10 baskets. Every product is in at most 29 + 28 baskets, far under min_support 0.5.
        var baskets = Enumerable.Range(0, 29)
            .SelectMany(k => Enumerable.Repeat(new[] { $"p{k}", $"p{k + 1}" }, k + 1))
            .ToArray();
        // 435 baskets in all
        var results = Compute(baskets, minSupport: 0.5m);

        Assert.Equal(0, results.RulesTotal);
        var insight = Assert.Single(results.Insights, s => s.StartsWith("No product pair", StringComparison.Ordinal));
        Assert.Contains("the 20th most common product pair is in 10, so", insight, StringComparison.Ordinal);
        var suggested = decimal.Parse(insight.Split("min_support=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0.022m, suggested); // 10 / 435 = 0.02298..., two significant digits rounded down

        // The suggestion does what it says: at least 20 pairs become frequent, so rules appear.
        var again = Compute(baskets, minSupport: suggested);
        Assert.Equal(25 + 20, again.FrequentItemsets); // p5..p29 alone (in 2k + 1 >= 10 baskets) and the 20 pairs in 10 or more
        Assert.True(again.RulesTotal > 0);
    }

    [Fact]
    public void Baskets_of_one_product_say_no_min_support_can_give_a_rule()
    {
        string[][] baskets = [["a"], ["b"], ["a"]];

        var results = Compute(baskets, minSupport: 0.1m);

        Assert.Contains(results.Insights, s => s.StartsWith("No basket holds two different products", StringComparison.Ordinal));
    }

    [Fact]
    public void Pair_counts_beyond_the_counted_products_are_exact_when_the_tail_cannot_beat_them()
    {
        // 300 products: the table counts the 256 most common; the rest are each in one basket alone with p0.
        var baskets = new List<string[]>();
        for (var i = 0; i < 25; i++)
        {
            baskets.AddRange(Enumerable.Repeat(new[] { "p0", $"q{i}" }, 5 + i));
        }

        baskets.AddRange(Enumerable.Range(0, 300).Select(i => new[] { $"r{i}" }));

        var results = Compute([.. baskets], minSupport: 0.9m);

        // pair (p0, q_i) is in 5 + i baskets; the 20th most common is i = 5: 10 baskets
        Assert.Contains(results.Insights, s => s.Contains("the 20th most common product pair is in 10,", StringComparison.Ordinal));
    }

    [Fact]
    public void Top_products_are_the_twenty_most_common_ties_by_name()
    {
        // product i is in i + 1 baskets (capped at 20, so several tie at the top); names make ordinal order differ from numeric
        var baskets = Enumerable.Range(0, 24)
            .Select(b => Enumerable.Range(0, 25).Where(i => b <= Math.Min(i, 19)).Select(i => $"p{i}").ToArray())
            .ToArray();

        var top = Compute(baskets, minSupport: 1m).TopProducts;

        var expected = Enumerable.Range(0, 25)
            .Select(i => (Name: $"p{i}", Baskets: Math.Min(i, 19) + 1))
            .OrderByDescending(p => p.Baskets).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Take(20)
            .ToArray();
        Assert.Equal(expected.Select(p => p.Name), top.Select(p => p.ProductName));
        Assert.Equal(expected.Select(p => p.Baskets), top.Select(p => p.Baskets));
        Assert.Equal("p19", top[0].ProductName); // ties at 20 baskets: p19..p24, "p19" first by ordinal
    }

    private static MbaResults Compute(string[][] baskets, decimal minSupport, decimal minConfidence = 0.1m) =>
        MbaReport.Compute(baskets, minSupport, minConfidence, maxLen: 4, maxRules: 1000, minLift: 0m, maxConsequent: 1, TestContext.Current.CancellationToken);
}
