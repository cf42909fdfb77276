namespace Affinsy.Samples.StoreGenerator;

/// <summary>One catalogue item.</summary>
/// <param name="Index">Position in the catalogue, used as a compact id while simulating.</param>
/// <param name="StockCode">Shop SKU; variants of one base item share the number with a letter suffix.</param>
/// <param name="Description">The product name the analyses will see.</param>
/// <param name="Category">Department, which drives customers' category affinity.</param>
/// <param name="PriceCents">List price in pence (exact, so prices never pass through floating point).</param>
/// <param name="Popularity">Relative weight of the item among impulse picks (1 = niche, 10 = best seller).</param>
/// <param name="Season">When the item sells.</param>
internal sealed record Product(
    int Index,
    string StockCode,
    string Description,
    string Category,
    int PriceCents,
    double Popularity,
    Season Season);
