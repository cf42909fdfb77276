namespace Affinsy.Reference.Mining;

/// <summary>A product with the number and share of baskets that hold it.</summary>
internal sealed record MbaTopProduct(string ProductName, int Baskets, double Support);
