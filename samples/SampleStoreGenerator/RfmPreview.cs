namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// The standard_rfm segments the API's rules should give for the generated sales (scores by rank with
/// ties kept together, 5 bins, the R-F segment map), so the README can say what to expect.
/// </summary>
internal static class RfmPreview
{
    public static IReadOnlyList<(string Segment, int Customers)> Segments(IReadOnlyList<Invoice> sales)
    {
        var reference = sales.Max(s => s.Time);
        var customers = sales.Where(s => s.CustomerId is not null)
            .GroupBy(s => s.CustomerId!, StringComparer.Ordinal)
            .Select(g => (
                Recency: (int)(reference - g.Max(s => s.Time)).TotalDays,
                Frequency: g.Count(),
                Monetary: g.Sum(s => s.Lines.Where(l => l.Quantity > 0).Sum(l => (long)l.Quantity * l.PriceCents))))
            .ToList();

        var recencies = customers.Select(c => c.Recency).Order().ToArray();
        var frequencies = customers.Select(c => c.Frequency).Order().ToArray();
        var n = customers.Count;
        return customers
            .Select(c =>
            {
                // L = customers strictly more recent-worse (larger recency) / strictly smaller frequency.
                var r = Score(n - UpperBound(recencies, c.Recency), n);
                var f = Score(LowerBound(frequencies, c.Frequency), n);
                return Segment(r, f);
            })
            .GroupBy(s => s, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static int Score(int strictlyWorse, int n) => 1 + (5 * strictlyWorse / n);

    private static string Segment(int r, int f) => (r, f) switch
    {
        (5, >= 4) => "Champions",
        (3 or 4, >= 4) => "Loyal Customers",
        (4 or 5, 2 or 3) => "Potential Loyalists",
        (5, 1) => "New Customers",
        (4, 1) => "Promising",
        (3, 3) => "Need Attention",
        (3, 1 or 2) => "About To Sleep",
        (<= 2, 3 or 4) => "At Risk",
        (<= 2, 5) => "Can't Lose Them",
        _ => "Hibernating",
    };

    private static int LowerBound(int[] sorted, int value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private static int UpperBound(int[] sorted, int value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index < sorted.Length - 1 && sorted[index + 1] == value)
        {
            index++;
        }

        return index + 1;
    }
}
