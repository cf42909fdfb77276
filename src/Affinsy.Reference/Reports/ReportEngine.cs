using System.Text.Json;
using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Reports;

/// <summary>
/// The server's one entry into report logic: parses a report request into what is stored, lists the
/// templates, and computes a stored report's results from the dataset's rows. Computation works from
/// the stored effective params and filters, so a report re-run after a restart is the same report.
/// </summary>
internal static class ReportEngine
{
    public static ReportParse Parse(JsonElement body) =>
        new(null, [new ErrorDetail("", "reports are being wired in")]);

    public static string TemplatesJson() => """{"templates":[]}""";

    public static string Compute(StoredReport report, IReadOnlyList<OrderLine> lines, CancellationToken ct) =>
        throw new NotSupportedException("reports are being wired in");
}

/// <summary>A parsed report request: the fields to store, or every problem with its path.</summary>
internal sealed record ReportParse(ReportDraft? Draft, IReadOnlyList<ErrorDetail> Errors);

/// <summary>What a valid report request becomes before it gets an id and an owner.</summary>
internal sealed record ReportDraft(
    string DatasetId,
    string ReportType,
    string? Template,
    string Name,
    string? WebhookUrl,
    string ParamsJson,
    string FiltersJson);
