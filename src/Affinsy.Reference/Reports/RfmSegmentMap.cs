namespace Affinsy.Reference.Reports;

/// <summary>The widely used RF map: every (R, F) cell of the 1-5 grid in exactly one segment.</summary>
internal static class RfmSegmentMap
{
    internal static IReadOnlyList<RfmSegment> Ordered { get; } = Enum.GetValues<RfmSegment>();

    /// <summary>The segment of an (R, F) pair on the 1-5 scale.</summary>
    internal static RfmSegment Of(int r, int f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(r, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(r, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(f, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(f, 5);
        return (r, f) switch
        {
            (5, >= 4) => RfmSegment.Champions,
            (3 or 4, >= 4) => RfmSegment.LoyalCustomers,
            (4 or 5, 2 or 3) => RfmSegment.PotentialLoyalists,
            (5, 1) => RfmSegment.NewCustomers,
            (4, 1) => RfmSegment.Promising,
            (3, 3) => RfmSegment.NeedAttention,
            (3, 1 or 2) => RfmSegment.AboutToSleep,
            (1 or 2, 3 or 4) => RfmSegment.AtRisk,
            (1 or 2, 5) => RfmSegment.CantLoseThem,
            _ => RfmSegment.Hibernating, // R1-2 F1-2: the only cells left
        };
    }

    /// <summary>The segment's name as reports show it.</summary>
    internal static string Name(RfmSegment segment) => segment switch
    {
        RfmSegment.Champions => "Champions",
        RfmSegment.LoyalCustomers => "Loyal Customers",
        RfmSegment.PotentialLoyalists => "Potential Loyalists",
        RfmSegment.NewCustomers => "New Customers",
        RfmSegment.Promising => "Promising",
        RfmSegment.NeedAttention => "Need Attention",
        RfmSegment.AboutToSleep => "About To Sleep",
        RfmSegment.AtRisk => "At Risk",
        RfmSegment.CantLoseThem => "Can't Lose Them",
        RfmSegment.Hibernating => "Hibernating",
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not a segment."),
    };

    /// <summary>A 1..bins score on the 1-5 segment scale: ceil(score x 5 / bins); unchanged when bins is 5.</summary>
    internal static int ToFivePointScale(int score, int bins) => ((score * 5) + bins - 1) / bins;
}
