namespace Affinsy.Samples.StoreGenerator;

/// <summary>Where orders come from: a UK shop with a modest European following.</summary>
internal static class Countries
{
    private static readonly (string Name, double Share)[] Shares =
    [
        ("United Kingdom", 82), ("Germany", 3.5), ("France", 3), ("Ireland", 3), ("Netherlands", 2),
        ("Belgium", 1.5), ("Spain", 1.2), ("Switzerland", 1), ("Sweden", 0.8), ("Italy", 0.8),
        ("Denmark", 0.6), ("Norway", 0.6),
    ];

    private static readonly double[] Cumulative = Accumulate();

    public static string Pick(SeededRandom random) => Shares[random.PickCumulative(Cumulative)].Name;

    private static double[] Accumulate()
    {
        var cumulative = new double[Shares.Length];
        var total = 0.0;
        for (var i = 0; i < Shares.Length; i++)
        {
            total += Shares[i].Share;
            cumulative[i] = total;
        }

        return cumulative;
    }
}
