using System.Text.Json.Serialization;
using Affinsy.Sink.Webhooks;

namespace Affinsy.Sink.Api;

/// <summary>Source-generated (de)serializers for every wire type of the API, snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(ImportStatus))]
[JsonSerializable(typeof(DatasetList))]
[JsonSerializable(typeof(DatasetSummary))]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(ReportAccepted))]
[JsonSerializable(typeof(Report))]
[JsonSerializable(typeof(ReportList))]
[JsonSerializable(typeof(TemplateList))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(IReadOnlyList<ApiErrorDetail>))]
[JsonSerializable(typeof(WebhookPayload))]
public sealed partial class AffinsyJsonContext : JsonSerializerContext;
