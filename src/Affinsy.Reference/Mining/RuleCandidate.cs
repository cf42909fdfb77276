namespace Affinsy.Reference.Mining;

/// <summary>A kept rule before ordering: its three counts and where its name ranks (antecedent, then consequent) sit in the shared pool.</summary>
internal readonly record struct RuleCandidate(
    int Count,
    int AntecedentCount,
    int ConsequentCount,
    int NamesOffset,
    int AntecedentLength,
    int ConsequentLength);
