using System.Text.Json.Serialization;

namespace Affinsy.Reference.Http;

internal sealed record ErrorBody(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ErrorDetail>? Details = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestId = null);

internal sealed record IngestResponse(
    string ImportId,
    string DatasetId,
    string Status,
    int OrdersReceived,
    int LineItemsReceived,
    long Inserted,
    long Updated,
    long Rejected,
    string? Warning);

internal sealed record ImportResponse(
    string ImportId,
    string DatasetId,
    string Status,
    long Inserted,
    long Updated,
    long Rejected,
    string CreatedAt);

internal sealed record DatasetResponse(
    string DatasetId,
    long Orders,
    long LineItems,
    long Customers,
    string? FirstOrderDate,
    string? LastOrderDate,
    string UpdatedAt);

internal sealed record DatasetListResponse(IReadOnlyList<DatasetResponse> Datasets);

internal sealed record ReportCreatedResponse(string ReportId, string Status);

internal sealed record WebhookPayload(string Event, string ReportId, string ReportType, string Status, string Timestamp);

/// <summary>One line of the reference-only rows endpoint (JSON Lines).</summary>
internal sealed record StoredRowLine(
    string OrderId,
    string ProductName,
    double UnitPrice,
    double Quantity,
    string? CustomerId,
    string? OrderDate);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(DatasetResponse))]
[JsonSerializable(typeof(DatasetListResponse))]
[JsonSerializable(typeof(ReportCreatedResponse))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(StoredRowLine))]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;
