namespace Affinsy.Reference.Reports;

/// <summary>
/// The effective parameters of an MBA report, every one present. Thresholds are decimals so that
/// <c>ceil(min_support x N)</c> is exact (0.07 x 100 = 7, not 7.000000000000001).
/// Serialized (snake_case, in this order) as the report's <c>params</c>.
/// </summary>
internal sealed record MbaParams(
    decimal MinSupport,
    decimal MinConfidence,
    BasketScope Scope,
    CustomerScope CustomerScope,
    int MaxLen,
    int MaxRules,
    decimal MinLift,
    int MaxConsequent)
{
    /// <summary>The contract's defaults: <c>standard_mba</c>'s params.</summary>
    internal static MbaParams Default { get; } =
        new(0.01m, 0.1m, BasketScope.Order, CustomerScope.All, 4, 1000, 0m, 1);
}
