namespace Affinsy.Reference.Mining;

/// <summary>The rules that passed the thresholds, best first and cut at max_rules; <paramref name="Total"/> counts them before the cut.</summary>
internal sealed record RuleSet(int Total, IReadOnlyList<AssociationRule> Rules);
