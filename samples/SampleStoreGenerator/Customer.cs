namespace Affinsy.Samples.StoreGenerator;

/// <summary>A registered customer and the habits its orders are drawn from.</summary>
/// <param name="Index">Position in generation order (the CustomerID is assigned later, by first order).</param>
/// <param name="Segment">Its behaviour over the year.</param>
/// <param name="Country">Where it orders from.</param>
/// <param name="FavouriteCategory">Index of the department it keeps coming back to.</param>
/// <param name="Staple">A consumable it re-buys now and then.</param>
/// <param name="FirstDay">First day (0-based in 2025) it may order.</param>
/// <param name="LastDay">Last day it may order.</param>
/// <param name="Orders">How many orders it places.</param>
internal sealed record Customer(
    int Index,
    CustomerSegment Segment,
    string Country,
    int FavouriteCategory,
    Product Staple,
    int FirstDay,
    int LastDay,
    int Orders);
