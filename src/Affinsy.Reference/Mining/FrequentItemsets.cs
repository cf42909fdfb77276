using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// The miner's output: every frequent itemset (as ascending item codes of its <see cref="BasketSet"/>) with
/// its basket count, stored flat, plus a hash index so rule generation can look up any subset's count.
/// </summary>
internal sealed class FrequentItemsets
{
    private readonly int[] _items;
    private readonly int[] _offsets;
    private readonly int[] _counts;
    private readonly int[] _slots;
    private readonly int _mask;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal FrequentItemsets(int[] items, int[] offsets, int[] counts, int count, int minCount, int maxLen)
    {
        _items = items;
        _offsets = offsets;
        _counts = counts;
        Count = count;
        MinCount = minCount;
        MaxLen = maxLen;

        var size = 16;
        while (size < count * 2)
        {
            size <<= 1;
        }

        _mask = size - 1;
        _slots = new int[size];
        for (var i = 0; i < count; i++)
        {
            var slot = Hash(Items(i)) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = i + 1;
        }
    }

    /// <summary>Number of frequent itemsets (the empty set is not one).</summary>
    public int Count { get; }

    /// <summary>The threshold they were mined at.</summary>
    public int MinCount { get; }

    /// <summary>The size limit they were mined with (0 = none).</summary>
    public int MaxLen { get; }

    /// <summary>The itemset's item codes, ascending.</summary>
    public ReadOnlySpan<int> Items(int index) => _items.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    /// <summary>Number of baskets holding the whole itemset.</summary>
    public int BasketCount(int index) => _counts[index];

    /// <summary>Index of the itemset with exactly these ascending codes, or -1 when it is not frequent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ReadOnlySpan<int> items)
    {
        var slot = Hash(items) & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }

            if (Items(entry - 1).SequenceEqual(items))
            {
                return entry - 1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Hash(ReadOnlySpan<int> items)
    {
        var h = (uint)items.Length * 0x9E3779B9u;
        foreach (var item in items)
        {
            h = (h ^ (uint)item) * 0x85EBCA6Bu;
            h ^= h >> 13;
        }

        return (int)(h ^ (h >> 16));
    }
}
