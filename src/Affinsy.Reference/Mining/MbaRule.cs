namespace Affinsy.Reference.Mining;

/// <summary>One rule as the report shows it; <see cref="Conviction"/> is null when confidence is 1.</summary>
internal sealed record MbaRule(
    IReadOnlyList<string> Antecedent,
    IReadOnlyList<string> Consequent,
    double Support,
    double Confidence,
    double Lift,
    double Leverage,
    double? Conviction,
    int Count);
