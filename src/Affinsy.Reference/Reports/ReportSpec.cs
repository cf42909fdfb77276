namespace Affinsy.Reference.Reports;

/// <summary>
/// A validated <c>POST /reports</c> request with the template and defaults applied: everything needed to
/// run the report and to echo it in <c>GET /reports/{id}</c>.
/// </summary>
/// <param name="DatasetId">The dataset to read.</param>
/// <param name="ReportType">MBA or RFM.</param>
/// <param name="Template">The template named in the request, or null when only <c>report_type</c> was given.</param>
/// <param name="Name">The given name, else the template name, else "MBA report" / "RFM report".</param>
/// <param name="WebhookUrl">Absolute http(s) URL to notify, or null.</param>
/// <param name="DateStart">Inclusive first UTC date of <c>order_date</c>, or null.</param>
/// <param name="DateEnd">Inclusive last UTC date of <c>order_date</c>, or null.</param>
/// <param name="Mba">The effective MBA params; set exactly when <paramref name="ReportType"/> is MBA.</param>
/// <param name="Rfm">The effective RFM params; set exactly when <paramref name="ReportType"/> is RFM.</param>
/// <param name="ParamsJson">The effective params as a JSON object, snake_case, every param present.</param>
/// <param name="FiltersJson">The filters as a JSON object (<c>{"dateRange":{"start","end"}}</c> with the given bounds), <c>{}</c> when none.</param>
internal sealed record ReportSpec(
    string DatasetId,
    ReportType ReportType,
    string? Template,
    string Name,
    Uri? WebhookUrl,
    DateOnly? DateStart,
    DateOnly? DateEnd,
    MbaParams? Mba,
    RfmParams? Rfm,
    string ParamsJson,
    string FiltersJson)
{
    /// <summary>The customer scope of whichever params are set.</summary>
    internal CustomerScope CustomerScope => Mba?.CustomerScope ?? Rfm!.CustomerScope;

    /// <summary>True when a date filter is given: then orders without an <c>order_date</c> are left out.</summary>
    internal bool HasDateFilter => DateStart is not null || DateEnd is not null;
}
