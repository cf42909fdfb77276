using System.Text.Json;

namespace Affinsy.Sink.Api;

/// <summary>
/// GET /reports/{id} (and, without <see cref="Results"/>, an entry of GET /reports).
/// <see cref="Results"/> is kept as raw JSON: its shape depends on <see cref="ReportType"/> and the Host writes it out as is.
/// </summary>
public sealed record Report(
    string ReportId,
    string ReportType,
    string? Name,
    string? Template,
    string DatasetId,
    string Status,
    JsonElement? Params,
    JsonElement? Filters,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    JsonElement? Results)
{
    public const string Processing = "Processing";
    public const string Completed = "Completed";
    public const string Failed = "Failed";

    /// <summary>True once the report will not change any more.</summary>
    public bool IsFinished => Status is Completed or Failed;
}

/// <summary>GET /reports.</summary>
public sealed record ReportList(IReadOnlyList<Report> Reports);
