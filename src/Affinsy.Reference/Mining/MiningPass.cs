namespace Affinsy.Reference.Mining;

/// <summary>
/// The miner's phases one call at a time over a basket file (one basket a line, items split by a separator), for the
/// mining benchmark, which times each phase; the miner's own types stay internal to the reference server.
/// </summary>
public sealed class MiningPass
{
    private readonly BasketSet _baskets;
    private FrequentItemsets? _itemsets;

    private MiningPass(BasketSet baskets) => _baskets = baskets;

    /// <summary>Baskets read.</summary>
    public int Baskets => _baskets.Count;

    /// <summary>Distinct items across the baskets.</summary>
    public int DistinctItems => _baskets.DistinctItems;

    /// <summary>Reads the basket file.</summary>
    public static MiningPass Load(string path, char separator, CancellationToken ct) =>
        new(BasketFileReader.ReadFile(path, separator, ct));

    /// <summary>Mines the itemsets in at least <paramref name="minSupport"/> of the baskets; returns how many.</summary>
    public int MineItemsets(decimal minSupport, int maxLen, CancellationToken ct)
    {
        _itemsets = FrequentItemsetMiner.Mine(_baskets, MinimumCount.For(minSupport, _baskets.Count), maxLen, ct);
        return _itemsets.Count;
    }

    /// <summary>Generates the rules from the mined itemsets (any lift, one-item consequents); returns how many there are in all.</summary>
    /// <exception cref="InvalidOperationException">No itemsets were mined yet.</exception>
    public int GenerateRules(decimal minConfidence, int maxRules, CancellationToken ct)
    {
        var itemsets = _itemsets ?? throw new InvalidOperationException("Mine the itemsets before generating rules.");
        return RuleGenerator.Generate(_baskets, itemsets, minConfidence, 0m, 1, maxRules, ct).Total;
    }
}
