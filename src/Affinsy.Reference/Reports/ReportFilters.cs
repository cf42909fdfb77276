using System.Text.Json.Serialization;

namespace Affinsy.Reference.Reports;

/// <summary>The <c>filters</c> object of a report request, as stored and echoed. Keys are the contract's camelCase.</summary>
internal sealed record ReportFilters(
    [property: JsonPropertyName("dateRange")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DateRangeFilter? DateRange);

/// <summary><c>filters.dateRange</c>: inclusive UTC dates, either bound optional.</summary>
internal sealed record DateRangeFilter(
    [property: JsonPropertyName("start")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DateOnly? Start,
    [property: JsonPropertyName("end")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DateOnly? End);
