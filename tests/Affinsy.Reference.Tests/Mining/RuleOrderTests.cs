using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

public sealed class RuleOrderTests
{
    // N = 13. Lifts: x<->y 13, p<->q 3.25 (q->p confidence 1, p->q 0.5), the bread/Butter and cheese/wine pairs 26/9
    // with equal confidence and support, so only their names order them (ordinal: "Butter" < "bread").
    private static readonly string[][] Baskets =
    [
        ["bread", "Butter"], ["Butter", "bread"], ["bread"], ["Butter"],
        ["cheese", "wine"], ["wine", "cheese"], ["cheese"], ["wine"],
        ["x", "y"],
        ["p", "q"], ["q", "p"], ["p"], ["p"],
    ];

    private static readonly string[] ExpectedOrder =
        ["x->y", "y->x", "q->p", "p->q", "Butter->bread", "bread->Butter", "cheese->wine", "wine->cheese"];

    [Fact]
    public void Rules_come_by_lift_then_confidence_then_names()
    {
        var rules = Generate(maxRules: 1000);

        Assert.Equal(ExpectedOrder, rules.Rules.Select(Text));
        Assert.Equal(8, rules.Total);
    }

    [Fact]
    public void Max_rules_keeps_the_best_and_rules_total_counts_all_that_passed()
    {
        var rules = Generate(maxRules: 3);

        Assert.Equal(ExpectedOrder.Take(3), rules.Rules.Select(Text));
        Assert.Equal(8, rules.Total);
    }

    [Fact]
    public void A_rule_exactly_at_min_confidence_and_min_lift_is_kept()
    {
        var set = MiningResults.Build(Baskets);
        var itemsets = FrequentItemsetMiner.Mine(set, 1, 0, TestContext.Current.CancellationToken);

        // p->q has confidence exactly 0.5 and lift exactly 3.25
        var atBoundary = RuleGenerator.Generate(set, itemsets, 0.5m, 3.25m, 1, 1000, TestContext.Current.CancellationToken);
        var above = RuleGenerator.Generate(set, itemsets, 0.5m, 3.2500000001m, 1, 1000, TestContext.Current.CancellationToken);

        Assert.Equal(["x->y", "y->x", "q->p", "p->q"], atBoundary.Rules.Select(Text));
        Assert.Equal(["x->y", "y->x"], above.Rules.Select(Text));
    }

    [Fact]
    public void A_cancelled_token_stops_mining_and_rule_generation()
    {
        var set = MiningResults.Build(Baskets);
        var itemsets = FrequentItemsetMiner.Mine(set, 1, 0, TestContext.Current.CancellationToken);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => FrequentItemsetMiner.Mine(set, 1, 0, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => RuleGenerator.Generate(set, itemsets, 0m, 0m, 1, 10, cancelled.Token));
    }

    private static RuleSet Generate(int maxRules)
    {
        var set = MiningResults.Build(Baskets);
        var minCount = MinimumCount.For(0.07m, set.Count);
        var itemsets = FrequentItemsetMiner.Mine(set, minCount, 0, TestContext.Current.CancellationToken);
        return RuleGenerator.Generate(set, itemsets, 0.1m, 0m, 1, maxRules, TestContext.Current.CancellationToken);
    }

    private static string Text(AssociationRule rule) => $"{string.Join(",", rule.Antecedent)}->{string.Join(",", rule.Consequent)}";
}
