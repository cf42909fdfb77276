using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Affinsy.Sink.Api;

/// <summary>
/// POST /reports. Give a <see cref="Template"/> or a <see cref="ReportType"/> ("MBA" | "RFM");
/// explicit fields override the template's.
/// </summary>
public sealed record ReportRequest(string DatasetId)
{
    public string? Template { get; init; }

    public string? ReportType { get; init; }

    public string? Name { get; init; }

    public Uri? WebhookUrl { get; init; }

    public ReportFilters? Filters { get; init; }

    /// <summary>Params by their API names (<c>min_support</c>, <c>bins</c>...), passed through as given.</summary>
    public JsonObject? Params { get; init; }
}

/// <summary>Report filters; the API spells this object's key in camelCase.</summary>
public sealed record ReportFilters(
    [property: JsonPropertyName("dateRange")] DateRange? DateRange);

/// <summary>Inclusive bounds on order_date, as YYYY-MM-DD.</summary>
public sealed record DateRange(DateOnly? Start, DateOnly? End);

/// <summary>The 202 answer to POST /reports.</summary>
public sealed record ReportAccepted(string ReportId, string Status);
