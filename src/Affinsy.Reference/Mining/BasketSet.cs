namespace Affinsy.Reference.Mining;

/// <summary>
/// Baskets as sorted arrays of integer item codes, stored flat. Codes run in ascending order of basket
/// count (ties by name), so items at or above any minimum count form the range
/// <c>[FirstFrequentCode(min), DistinctItems)</c>. Each basket is followed by an <see cref="EndOfBasket"/> cell, so the
/// miner walks a basket's frequent suffix in <see cref="Cells"/> without a copy of the baskets of its own.
/// </summary>
internal sealed class BasketSet
{
    /// <summary>The cell after each basket's last item in <see cref="Cells"/>.</summary>
    public const int EndOfBasket = -1;

    private readonly string[] _names;
    private readonly int[] _itemCounts;
    private readonly int[] _items;
    private readonly int[] _offsets;
    private readonly int[] _nameRanks;
    private readonly int[] _byName;

    /// <param name="byName">The codes in ordinal name order (the builder has sorted the names once already).</param>
    internal BasketSet(string[] names, int[] itemCounts, int[] items, int[] offsets, int[] byName)
    {
        _names = names;
        _itemCounts = itemCounts;
        _items = items;
        _offsets = offsets;
        _byName = byName;
        _nameRanks = new int[names.Length];
        for (var rank = 0; rank < byName.Length; rank++)
        {
            _nameRanks[byName[rank]] = rank;
        }
    }

    /// <summary>Number of baskets, empty ones included.</summary>
    public int Count => _offsets.Length - 1;

    public int DistinctItems => _names.Length;

    public string ItemName(int code) => _names[code];

    /// <summary>Number of baskets holding the item.</summary>
    public int ItemCount(int code) => _itemCounts[code];

    /// <summary>Position of the item's name in ordinal name order; comparing ranks compares names.</summary>
    public int NameRank(int code) => _nameRanks[code];

    /// <summary>Item codes in ordinal name order: the inverse of <see cref="NameRank"/>.</summary>
    public IReadOnlyList<int> ItemsByNameRank => _byName;

    /// <summary>The basket's item codes, ascending.</summary>
    public ReadOnlySpan<int> Basket(int index) => _items.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index] - 1);

    /// <summary>Every basket's codes, each basket followed by <see cref="EndOfBasket"/>; basket b starts at <see cref="BasketStart"/>(b). Read only.</summary>
    public int[] Cells => _items;

    /// <summary>Where the basket's first item sits in <see cref="Cells"/>.</summary>
    public int BasketStart(int index) => _offsets[index];

    /// <summary>The smallest code whose basket count is at least <paramref name="minCount"/> (DistinctItems when none).</summary>
    public int FirstFrequentCode(int minCount)
    {
        int lo = 0, hi = _itemCounts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_itemCounts[mid] >= minCount)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
