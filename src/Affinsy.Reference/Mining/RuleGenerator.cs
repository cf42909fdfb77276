using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// Association rules from frequent itemsets: every X -> Y with X, Y non-empty and disjoint, X u Y frequent and
/// |Y| &lt;= maxConsequent. Thresholds and ordering compare exact rationals (integer cross-products, see ExactThreshold),
/// never rounded doubles, so a rule exactly at a threshold is kept and equal lifts tie as they should.
/// </summary>
internal static class RuleGenerator
{
    public static RuleSet Generate(
        BasketSet baskets,
        FrequentItemsets itemsets,
        decimal minConfidence,
        decimal minLift,
        int maxConsequent,
        int maxRules,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        ArgumentNullException.ThrowIfNull(itemsets);
        ArgumentOutOfRangeException.ThrowIfNegative(minConfidence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minConfidence, 1m);
        ArgumentOutOfRangeException.ThrowIfNegative(minLift);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConsequent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRules, 1);

        var candidates = new List<RuleCandidate>();
        var names = new List<int>();

        if (maxConsequent == 1)
        {
            CollectOneItemConsequents(baskets, itemsets, minConfidence, minLift, candidates, names, ct);
        }
        else
        {
            Collect(baskets, itemsets, minConfidence, minLift, maxConsequent, candidates, names, ct);
        }

        var best = TopRules.Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates), maxRules, new RuleOrder(names));
        var rules = new AssociationRule[best.Length];
        for (var r = 0; r < best.Length; r++)
        {
            rules[r] = Materialize(baskets, best[r], names);
        }

        return new RuleSet(candidates.Count, rules);
    }

    // Over 60 lines on purpose: this is the rules phase's hot loop (every split of every frequent itemset, tens of
    // millions on retail.dat), written as one method so the scratch arrays stay locals the JIT keeps in registers and
    // the confidence test can skip the second itemset look-up; a helper per split would pass six arrays and spans.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Collect(
        BasketSet baskets,
        FrequentItemsets itemsets,
        decimal minConfidence,
        decimal minLift,
        int maxConsequent,
        List<RuleCandidate> candidates,
        List<int> names,
        CancellationToken ct)
    {
        var longest = 0;
        for (var i = 0; i < itemsets.Count; i++)
        {
            longest = Math.Max(longest, itemsets.Items(i).Length);
        }

        var positions = new int[longest];
        var inConsequent = new bool[longest];
        var antecedent = new int[longest];
        var consequent = new int[longest];
        var n = (UInt128)(uint)baskets.Count;
        var confidence = ExactThreshold.From(minConfidence);
        var lift = ExactThreshold.From(minLift);

        for (var i = 0; i < itemsets.Count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var whole = itemsets.Items(i);
            var wholeCount = itemsets.BasketCount(i);
            var largest = Math.Min(maxConsequent, whole.Length - 1);
            // confidence = count(XuY) / count(X) >= the threshold  <=>  count(X) <= this bound (exact, see ExactThreshold)
            var largestAntecedentCount = confidence.IsZero ? int.MaxValue : confidence.LargestDenominatorMeeting((uint)wholeCount);
            for (var k = 1; k <= largest; k++)
            {
                for (var c = 0; c < k; c++)
                {
                    positions[c] = c;
                }

                do
                {
                    Array.Clear(inConsequent, 0, whole.Length);
                    for (var c = 0; c < k; c++)
                    {
                        inConsequent[positions[c]] = true;
                    }

                    int a = 0, q = 0;
                    for (var p = 0; p < whole.Length; p++)
                    {
                        if (inConsequent[p])
                        {
                            consequent[q++] = whole[p];
                        }
                        else
                        {
                            antecedent[a++] = whole[p];
                        }
                    }

                    var antecedentCount = itemsets.BasketCount(itemsets.IndexOf(antecedent.AsSpan(0, a)));
                    if (antecedentCount > largestAntecedentCount)
                    {
                        continue;
                    }

                    var consequentCount = itemsets.BasketCount(itemsets.IndexOf(consequent.AsSpan(0, q)));
                    // lift = count(XuY) N / (count(X) count(Y))
                    if (!lift.IsZero && !lift.IsMetBy((uint)wholeCount * n, (UInt128)(uint)antecedentCount * (uint)consequentCount))
                    {
                        continue;
                    }

                    var offset = names.Count;
                    AppendNameRanks(baskets, antecedent.AsSpan(0, a), names);
                    AppendNameRanks(baskets, consequent.AsSpan(0, q), names);
                    candidates.Add(new RuleCandidate(wholeCount, antecedentCount, consequentCount, offset, a, q));
                }
                while (NextCombination(positions, k, whole.Length));
            }
        }
    }

    // The rules with one item after the arrow (the API's default and the benchmark's): every itemset of two or more
    // items gives one candidate per item, without the general combination walk. A smaller method than Collect, so a
    // process that never asks for longer consequents compiles less; the candidates are the same (the order of the
    // list differs, and TopRules' total order makes that irrelevant).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CollectOneItemConsequents(
        BasketSet baskets,
        FrequentItemsets itemsets,
        decimal minConfidence,
        decimal minLift,
        List<RuleCandidate> candidates,
        List<int> names,
        CancellationToken ct)
    {
        var antecedent = new int[Math.Max(1, baskets.DistinctItems)];
        var confidence = ExactThreshold.From(minConfidence);
        var lift = ExactThreshold.From(minLift);
        for (var i = 0; i < itemsets.Count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var whole = itemsets.Items(i);
            if (whole.Length < 2)
            {
                continue;
            }

            var wholeCount = itemsets.BasketCount(i);
            var largestAntecedentCount = confidence.IsZero ? int.MaxValue : confidence.LargestDenominatorMeeting((uint)wholeCount);
            var a = whole.Length - 1;
            whole[1..].CopyTo(antecedent); // the antecedent without whole[0]; each step below puts back one item
            for (var y = 0; y < whole.Length; y++)
            {
                if (y > 0)
                {
                    antecedent[y - 1] = whole[y - 1];
                }

                var antecedentCount = itemsets.BasketCount(itemsets.IndexOf(antecedent.AsSpan(0, a)));
                if (antecedentCount > largestAntecedentCount)
                {
                    continue;
                }

                // A one-item itemset's count is the item's basket count.
                var consequentCount = baskets.ItemCount(whole[y]);
                if (!lift.IsZero && !MeetsLift(lift, wholeCount, baskets.Count, antecedentCount, consequentCount))
                {
                    continue;
                }

                var offset = names.Count;
                AppendNameRanks(baskets, antecedent.AsSpan(0, a), names);
                names.Add(baskets.NameRank(whole[y]));
                candidates.Add(new RuleCandidate(wholeCount, antecedentCount, consequentCount, offset, a, 1));
            }
        }
    }

    // lift = count(XuY) N / (count(X) count(Y)), compared exactly.
    private static bool MeetsLift(ExactThreshold lift, int wholeCount, int basketCount, int antecedentCount, int consequentCount) =>
        lift.IsMetBy((UInt128)(uint)wholeCount * (uint)basketCount, (UInt128)(uint)antecedentCount * (uint)consequentCount);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendNameRanks(BasketSet baskets, ReadOnlySpan<int> codes, List<int> names)
    {
        var start = names.Count;
        foreach (var code in codes)
        {
            names.Add(baskets.NameRank(code));
        }

        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(names).Slice(start, codes.Length).Sort();
    }

    // Advances positions[0..k) to the next k-combination of 0..n-1 in lexicographic order; false after the last.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NextCombination(int[] positions, int k, int n)
    {
        var c = k - 1;
        while (c >= 0 && positions[c] == n - k + c)
        {
            c--;
        }

        if (c < 0)
        {
            return false;
        }

        positions[c]++;
        for (var d = c + 1; d < k; d++)
        {
            positions[d] = positions[d - 1] + 1;
        }

        return true;
    }

    private static AssociationRule Materialize(BasketSet baskets, RuleCandidate rule, List<int> names)
    {
        var byRank = baskets.ItemsByNameRank;
        var antecedent = new string[rule.AntecedentLength];
        for (var i = 0; i < antecedent.Length; i++)
        {
            antecedent[i] = baskets.ItemName(byRank[names[rule.NamesOffset + i]]);
        }

        var consequent = new string[rule.ConsequentLength];
        for (var i = 0; i < consequent.Length; i++)
        {
            consequent[i] = baskets.ItemName(byRank[names[rule.NamesOffset + rule.AntecedentLength + i]]);
        }

        double n = baskets.Count, whole = rule.Count, x = rule.AntecedentCount, y = rule.ConsequentCount;
        double? conviction = rule.Count == rule.AntecedentCount ? null : (n - y) * x / (n * (x - whole));
        return new AssociationRule(
            antecedent,
            consequent,
            rule.Count,
            rule.AntecedentCount,
            rule.ConsequentCount,
            Support: whole / n,
            Confidence: whole / x,
            Lift: whole * n / (x * y),
            Leverage: ((whole * n) - (x * y)) / (n * n),
            Conviction: conviction);
    }
}
