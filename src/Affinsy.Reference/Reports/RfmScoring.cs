namespace Affinsy.Reference.Reports;

/// <summary>
/// Rank scores with ties kept together: score = 1 + floor(bins x L / N), where L counts the values ranked
/// strictly below. Sorting once and binary searching makes it O(N log N).
/// </summary>
internal static class RfmScoring
{
    /// <summary>Higher value, higher score; L = values strictly smaller (frequency, monetary).</summary>
    internal static int[] Ascending<T>(IReadOnlyList<T> values, int bins)
        where T : IComparable<T>
    {
        var sorted = Sorted(values);
        var scores = new int[values.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Score(LowerBound(sorted, values[i]), sorted.Length, bins);
        }

        return scores;
    }

    /// <summary>Lower value, higher score; L = values strictly larger (recency: most recent scores highest).</summary>
    internal static int[] Descending<T>(IReadOnlyList<T> values, int bins)
        where T : IComparable<T>
    {
        var sorted = Sorted(values);
        var scores = new int[values.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Score(sorted.Length - UpperBound(sorted, values[i]), sorted.Length, bins);
        }

        return scores;
    }

    private static int Score(int below, int count, int bins) => 1 + (int)((long)bins * below / count);

    private static T[] Sorted<T>(IReadOnlyList<T> values)
        where T : IComparable<T>
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>How many sorted values are strictly less than <paramref name="value"/>.</summary>
    private static int LowerBound<T>(T[] sorted, T value)
        where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid].CompareTo(value) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>How many sorted values are less than or equal to <paramref name="value"/>.</summary>
    private static int UpperBound<T>(T[] sorted, T value)
        where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid].CompareTo(value) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
