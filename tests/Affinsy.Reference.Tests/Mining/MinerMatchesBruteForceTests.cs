using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>
/// The miner and rule generator against the brute-force oracle on seeded random data, with thresholds often
/// placed exactly on a count or ratio that occurs in the data, where an inexact comparison would flip.
/// </summary>
public sealed class MinerMatchesBruteForceTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 0; seed < 240; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Frequent_itemsets_and_rules_equal_the_brute_force_ones(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(8) == 0 ? random.Next(4) : random.Next(301);
        var items = 1 + random.Next(15);
        var density = new[] { 0.05, 0.15, 0.3, 0.5, 0.8 }[random.Next(5)];
        var baskets = RandomBaskets.Generate(random, n, items, density);
        var oracle = new BruteForceOracle(baskets);
        var minSupport = PickMinSupport(random, baskets);
        var maxLen = new[] { 0, 0, 0, 1, 2, 3 }[random.Next(6)];

        var set = MiningResults.Build(baskets);
        var minCount = MinimumCount.For(minSupport, set.Count);
        var mined = FrequentItemsetMiner.Mine(set, minCount, maxLen, TestContext.Current.CancellationToken);

        var expected = oracle.FrequentItemsets(minSupport, maxLen);
        var expectedByKey = expected.ToDictionary(p => MiningResults.Key(oracle.Names(p.Key)), p => p.Value, StringComparer.Ordinal);
        var actual = MiningResults.ByKey(set, mined);
        Assert.Equal(expectedByKey.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));

        var maxConsequent = 1 + random.Next(3);
        var allRules = oracle.Rules(expected, 0m, 0m, maxConsequent);
        var minConfidence = PickMinConfidence(random, allRules);
        var minLift = PickMinLift(random, allRules);
        var expectedRules = oracle.Rules(expected, minConfidence, minLift, maxConsequent);
        var maxRules = random.Next(3) == 0 && expectedRules.Count > 1 ? 1 + random.Next(expectedRules.Count - 1) : 100_000;

        var rules = RuleGenerator.Generate(set, mined, minConfidence, minLift, maxConsequent, maxRules, TestContext.Current.CancellationToken);

        Assert.Equal(expectedRules.Count, rules.Total);
        var kept = expectedRules.Take(maxRules).ToList();
        Assert.Equal(kept.Count, rules.Rules.Count);
        for (var r = 0; r < kept.Count; r++)
        {
            var want = kept[r];
            var got = rules.Rules[r];
            Assert.Equal(want.Antecedent, got.Antecedent);
            Assert.Equal(want.Consequent, got.Consequent);
            Assert.Equal(want.Count, got.Count);
            Assert.Equal(want.AntecedentCount, got.AntecedentCount);
            Assert.Equal(want.ConsequentCount, got.ConsequentCount);
            AssertClose(want.Support, got.Support);
            AssertClose(want.Confidence, got.Confidence);
            AssertClose(want.Lift, got.Lift);
            AssertClose(want.Leverage, got.Leverage);
            Assert.Equal(want.Conviction is null, got.Conviction is null);
            if (want.Conviction is { } conviction)
            {
                AssertClose(conviction, got.Conviction!.Value);
            }
        }
    }

    private static decimal PickMinSupport(Random random, List<string[]> baskets)
    {
        var n = baskets.Count;
        if (n == 0 || random.Next(4) == 0)
        {
            return new[] { 0.01m, 0.05m, 0.07m, 0.1m, 0.25m, 0.5m, 1m }[random.Next(7)];
        }

        // exactly the support of one item or pair that occurs: count / N as decimal (rounded when N has factors other than 2 and 5)
        var basket = baskets[random.Next(n)];
        var distinct = basket.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return 1m / n;
        }

        var picked = distinct.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(2, distinct.Length))).ToArray();
        var count = baskets.Count(b => picked.All(p => b.Contains(p, StringComparer.Ordinal)));
        return (decimal)count / n;
    }

    private static decimal PickMinConfidence(Random random, List<OracleRule> rules) =>
        random.Next(4) switch
        {
            0 => 0m,
            1 => new[] { 0.1m, 0.25m, 0.5m, 0.8m, 1m }[random.Next(5)],
            _ when rules.Count > 0 => Exactly(random, rules, r => (decimal)r.Count / r.AntecedentCount),
            _ => 0.5m,
        };

    private static decimal PickMinLift(Random random, List<OracleRule> rules) =>
        random.Next(4) switch
        {
            0 or 1 => 0m,
            2 => 1m,
            _ when rules.Count > 0 => Exactly(random, rules, r => (decimal)r.Count * r.Baskets / ((decimal)r.AntecedentCount * r.ConsequentCount)),
            _ => 1.5m,
        };

    private static decimal Exactly(Random random, List<OracleRule> rules, Func<OracleRule, decimal> metric) => metric(rules[random.Next(rules.Count)]);

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
