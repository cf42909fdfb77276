namespace Affinsy.Reference.Mining;

/// <summary>The basket count an itemset needs to be frequent.</summary>
internal static class MinimumCount
{
    /// <summary>
    /// ceil(minSupport x basketCount), computed exactly from the decimal's digits so that 0.07 x 100 is 7 (binary
    /// doubles give 7.000000000000001 and so 8), and at least 1 so that an itemset present in no basket is never frequent.
    /// </summary>
    public static int For(decimal minSupport, int basketCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minSupport);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minSupport, 1m);
        ArgumentOutOfRangeException.ThrowIfNegative(basketCount);
        var count = (int)ExactThreshold.From(minSupport).CeilingTimes((UInt128)basketCount);
        return Math.Max(1, count);
    }
}
