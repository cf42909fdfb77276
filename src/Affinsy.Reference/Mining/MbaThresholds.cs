namespace Affinsy.Reference.Mining;

/// <summary>The thresholds a report ran with, for sentences that explain an empty result.</summary>
internal sealed record MbaThresholds(decimal MinSupport, int MinCount, decimal MinConfidence, decimal MinLift);
