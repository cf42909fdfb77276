namespace Affinsy.Reference.Mining;

/// <summary>
/// How many baskets hold the n-th most common product pair: the number behind the min_support an MBA report with no
/// rule suggests. Pairs are counted only among the <see cref="CountedItems"/> most common products in one K x K
/// table, in one pass over the baskets. A pair's count is at most the count of each of its products, so when the
/// n-th pair counted there is held by at least as many baskets as the next product outside the table, the answer is
/// exact; otherwise it is a lower bound, which still makes at least n pairs frequent when used as the threshold.
/// </summary>
internal static class PairSupport
{
    /// <summary>Pairs among this many top products are counted (a 256 x 256 table: 256 KiB, whatever the data).</summary>
    internal const int CountedItems = 256;

    /// <summary>
    /// The n-th most common pair's rank and basket count, or the last pair's when fewer exist; rank 0 when no basket
    /// holds two products.
    /// </summary>
    public static (int Rank, int Baskets) NthPair(BasketSet set, int n, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var first = Math.Max(0, set.DistinctItems - CountedItems);
        var width = set.DistinctItems - first;
        var counts = new int[width * width];
        for (var b = 0; b < set.Count; b++)
        {
            if ((b & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            CountPairs(set.Basket(b), first, width, counts);
        }

        return NthLargest(counts, n);
    }

    // Codes ascend with basket count, so a basket's counted items are the tail of its sorted span.
    private static void CountPairs(ReadOnlySpan<int> basket, int first, int width, int[] counts)
    {
        var start = basket.Length;
        while (start > 0 && basket[start - 1] >= first)
        {
            start--;
        }

        for (var i = start; i < basket.Length; i++)
        {
            var row = (basket[i] - first) * width;
            for (var j = i + 1; j < basket.Length; j++)
            {
                counts[row + basket[j] - first]++;
            }
        }
    }

    private static (int Rank, int Baskets) NthLargest(int[] counts, int n)
    {
        var present = counts.Where(c => c > 0).OrderDescending().Take(n).ToArray();
        return present.Length == 0 ? (0, 0) : (present.Length, present[^1]);
    }
}
