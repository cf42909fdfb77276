namespace Affinsy.Reference.Storage;

/// <summary>A report as stored: the request's effective spec, its state and, once done, its results JSON.</summary>
internal sealed record StoredReport
{
    public required string ReportId { get; init; }

    public required string Owner { get; init; }

    /// <summary>Hash of the key that created the report: the webhook signing key. Never logged.</summary>
    public required string KeyHash { get; init; }

    public required string DatasetId { get; init; }

    public required string ReportType { get; init; }

    public required string Name { get; init; }

    public string? Template { get; init; }

    public required string Status { get; init; }

    public required string ParamsJson { get; init; }

    public required string FiltersJson { get; init; }

    public string? WebhookUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? Error { get; init; }

    /// <summary>The <c>results</c> object as stored, served as it is (never parsed again).</summary>
    public StoredResults? Results { get; init; }
}

internal static class ReportStatus
{
    public const string Processing = "Processing";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}

/// <summary>A dataset's summary for <c>GET /datasets</c>.</summary>
internal sealed record DatasetStats(
    string DatasetId,
    long Orders,
    long LineItems,
    long Customers,
    DateTimeOffset? FirstOrderDate,
    DateTimeOffset? LastOrderDate,
    DateTimeOffset UpdatedAt);

/// <summary>An import as <c>GET /data/imports/{id}</c> reports it.</summary>
internal sealed record ImportRecord(
    string ImportId,
    string DatasetId,
    string Status,
    long Inserted,
    long Updated,
    long Rejected,
    DateTimeOffset CreatedAt);

/// <summary>A webhook delivery still owed to a receiver.</summary>
internal sealed record PendingDelivery(string DeliveryId, string ReportId, string Url, byte[] Body, string Signature, int Attempts);
