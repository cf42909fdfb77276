namespace Affinsy.Reference.Mining;

/// <summary>
/// One rule X -> Y with its metrics at full double precision (output rounding is the report's business).
/// <paramref name="Count"/> is count(X u Y); the other two counts let callers recompute any metric exactly.
/// </summary>
internal sealed record AssociationRule(
    IReadOnlyList<string> Antecedent,
    IReadOnlyList<string> Consequent,
    int Count,
    int AntecedentCount,
    int ConsequentCount,
    double Support,
    double Confidence,
    double Lift,
    double Leverage,
    double? Conviction);
