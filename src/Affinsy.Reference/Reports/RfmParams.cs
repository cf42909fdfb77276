namespace Affinsy.Reference.Reports;

/// <summary>The effective parameters of an RFM report, serialized (snake_case) as the report's <c>params</c>.</summary>
/// <param name="CustomerScope"><see cref="CustomerScope.All"/> or <see cref="CustomerScope.New90d"/>.</param>
/// <param name="Bins">Scores run 1..Bins; <see cref="ParamLimits"/> gives the accepted range.</param>
internal sealed record RfmParams(CustomerScope CustomerScope, int Bins)
{
    /// <summary>The contract's defaults: <c>standard_rfm</c>'s params.</summary>
    internal static RfmParams Default { get; } = new(CustomerScope.All, 5);
}
