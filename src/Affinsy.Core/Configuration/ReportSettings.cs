namespace Affinsy.Core.Configuration;

/// <summary>One <c>reports:</c> entry of a pipeline.</summary>
/// <param name="Template">The Affinsy template (<c>standard_mba</c>...), checked by the API.</param>
/// <param name="Name">The report's name, when given.</param>
/// <param name="Params">Template params as written (values are text; the API validates them).</param>
/// <param name="DateRange">The report's <c>filters.date_range</c>; null for all orders.</param>
public sealed record ReportSettings(string Template, string? Name, IReadOnlyDictionary<string, string> Params, ReportDateRange? DateRange = null);
