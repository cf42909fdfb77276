namespace Affinsy.Reference.Tests.Mining;

/// <summary>A rule as the oracle sees it, with metrics from the textbook formulas in the contract.</summary>
internal sealed record OracleRule(string[] Antecedent, string[] Consequent, int Count, int AntecedentCount, int ConsequentCount, int Baskets)
{
    public double Support => (double)Count / Baskets;

    public double Confidence => (double)Count / AntecedentCount;

    public double Lift => Confidence / ((double)ConsequentCount / Baskets);

    public double Leverage => Support - ((double)AntecedentCount / Baskets * ((double)ConsequentCount / Baskets));

    public double? Conviction => Count == AntecedentCount ? null : (1 - ((double)ConsequentCount / Baskets)) / (1 - Confidence);
}
