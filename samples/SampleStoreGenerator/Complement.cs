namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// A one-way add-on: whoever buys <see cref="Item"/> also takes <see cref="AddOn"/> with probability
/// <see cref="Chance"/> (fairy lights need batteries; batteries need no fairy lights). Gives rules whose
/// confidence differs sharply by direction.
/// </summary>
internal sealed record Complement(Product Item, Product AddOn, double Chance);
