namespace Affinsy.Reference.Reports;

/// <summary>
/// A named report recipe: the type and the full default params it fills in.
/// Exactly one of <see cref="Mba"/> and <see cref="Rfm"/> is set, matching <see cref="Type"/>.
/// </summary>
internal sealed record ReportTemplate(
    string Name,
    ReportType Type,
    string Description,
    MbaParams? Mba,
    RfmParams? Rfm)
{
    internal CustomerScope CustomerScope => Mba?.CustomerScope ?? Rfm!.CustomerScope;

    internal static ReportTemplate ForMba(string name, string description, MbaParams mba) =>
        new(name, ReportType.Mba, description, mba, null);

    internal static ReportTemplate ForRfm(string name, string description, RfmParams rfm) =>
        new(name, ReportType.Rfm, description, null, rfm);
}
