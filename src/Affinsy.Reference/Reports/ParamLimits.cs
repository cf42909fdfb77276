namespace Affinsy.Reference.Reports;

/// <summary>
/// The accepted ranges of report params. The contract fixes the MBA ones; RFM <c>bins</c> is ours:
/// below 2 every customer would score alike, above 10 the 1-5 segment scale would hide most of the detail.
/// </summary>
internal static class ParamLimits
{
    internal const int MinMaxLen = 2;
    internal const int MaxMaxLen = 10;
    internal const int MinMaxRules = 1;
    internal const int MaxMaxRules = 100_000;
    internal const int MinBins = 2;
    internal const int MaxBins = 10;
}
