using System.Numerics;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>
/// An independent, deliberately naive model of the mining contract: every subset of the items present is
/// counted by scanning every basket (items as bits of an int), thresholds are compared as exact rationals
/// with BigInteger, and rules are sorted by their own comparer. Only for small item counts (&lt;= 20).
/// </summary>
internal sealed class BruteForceOracle
{
    private readonly string[] _items;
    private readonly int[] _baskets;

    public BruteForceOracle(IReadOnlyList<IReadOnlyList<string>> baskets)
    {
        _items = baskets.SelectMany(b => b).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (_items.Length > 20)
        {
            throw new ArgumentException("the oracle enumerates 2^items subsets; keep items <= 20");
        }

        var index = _items.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        _baskets = baskets.Select(b => b.Aggregate(0, (mask, name) => mask | (1 << index[name]))).ToArray();
    }

    public int BasketCount => _baskets.Length;

    /// <summary>Frequent itemsets keyed by bit mask, with counts.</summary>
    public Dictionary<int, int> FrequentItemsets(decimal minSupport, int maxLen)
    {
        var result = new Dictionary<int, int>();
        for (var mask = 1; mask < 1 << _items.Length; mask++)
        {
            if (maxLen > 0 && BitOperations.PopCount((uint)mask) > maxLen)
            {
                continue;
            }

            var count = 0;
            foreach (var basket in _baskets)
            {
                if ((basket & mask) == mask)
                {
                    count++;
                }
            }

            // frequent: count >= min_support x N exactly, and present at all
            if (count > 0 && AtLeast(count, BasketCount, minSupport))
            {
                result.Add(mask, count);
            }
        }

        return result;
    }

    public string[] Names(int mask) => Enumerable.Range(0, _items.Length).Where(i => (mask & (1 << i)) != 0).Select(i => _items[i]).ToArray();

    /// <summary>All rules that pass, in contract order (uncut).</summary>
    public List<OracleRule> Rules(Dictionary<int, int> frequent, decimal minConfidence, decimal minLift, int maxConsequent)
    {
        var rules = new List<OracleRule>();
        foreach (var (whole, count) in frequent)
        {
            // every non-empty proper subset of whole as consequent
            for (var consequent = (whole - 1) & whole; consequent > 0; consequent = (consequent - 1) & whole)
            {
                if (BitOperations.PopCount((uint)consequent) > maxConsequent)
                {
                    continue;
                }

                var antecedent = whole & ~consequent;
                var x = frequent[antecedent];
                var y = frequent[consequent];
                if (AtLeast(count, x, minConfidence) && AtLeast((BigInteger)count * BasketCount, (BigInteger)x * y, minLift))
                {
                    rules.Add(new OracleRule(Names(antecedent), Names(consequent), count, x, y, BasketCount));
                }
            }
        }

        rules.Sort(CompareRules);
        return rules;
    }

    private static int CompareRules(OracleRule a, OracleRule b)
    {
        // lift desc: a.c N / (a.x a.y) vs b.c N / (b.x b.y)
        var lift = ((BigInteger)b.Count * a.AntecedentCount * a.ConsequentCount).CompareTo((BigInteger)a.Count * b.AntecedentCount * b.ConsequentCount);
        if (lift != 0)
        {
            return lift;
        }

        var confidence = ((BigInteger)b.Count * a.AntecedentCount).CompareTo((BigInteger)a.Count * b.AntecedentCount);
        if (confidence != 0)
        {
            return confidence;
        }

        if (a.Count != b.Count)
        {
            return b.Count.CompareTo(a.Count);
        }

        var antecedent = CompareNames(a.Antecedent, b.Antecedent);
        return antecedent != 0 ? antecedent : CompareNames(a.Consequent, b.Consequent);
    }

    private static int CompareNames(string[] a, string[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>numerator / denominator >= threshold, exactly (threshold = its decimal digits over a power of ten).</summary>
    private static bool AtLeast(BigInteger numerator, BigInteger denominator, decimal threshold)
    {
        var text = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? text : text.Remove(point, 1);
        var scale = point < 0 ? 0 : text.Length - point - 1;
        return numerator * BigInteger.Pow(10, scale) >= BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * denominator;
    }
}
