namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// A shopping mission whose products go together (a tea set, a baking day). A basket that takes the
/// bundle gets one member as its anchor and each other member with probability <see cref="Cohesion"/>,
/// so any two members co-occur far more often than their popularity alone would give: that is the lift
/// market basket analysis should find.
/// </summary>
/// <param name="Name">For the --stats report and the README.</param>
/// <param name="Members">The products; none may repeat.</param>
/// <param name="Weight">Relative chance that a basket's mission is this bundle.</param>
/// <param name="Cohesion">Chance each non-anchor member joins the basket.</param>
/// <param name="Season">Seasonal bundles follow their season like their products do.</param>
internal sealed record Bundle(string Name, IReadOnlyList<Product> Members, double Weight, double Cohesion, Season Season);
