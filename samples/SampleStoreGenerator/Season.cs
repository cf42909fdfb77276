namespace Affinsy.Samples.StoreGenerator;

/// <summary>When a product sells; seasonal products are weighted up in their months and down outside.</summary>
internal enum Season
{
    AllYear,
    Christmas,
    Summer,
}
