using System.Text.Json.Serialization;

namespace Affinsy.Reference.Reports;

/// <summary>Source-generated serialization for the report wire types (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MbaParams))]
[JsonSerializable(typeof(RfmParams))]
[JsonSerializable(typeof(ReportFilters))]
[JsonSerializable(typeof(TemplateList))]
[JsonSerializable(typeof(RfmResults))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
