using System.Text;
using System.Text.Json;
using Affinsy.Reference.Mining;
using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Reports;

/// <summary>
/// The server's one entry into report logic: parses a report request into what is stored, lists the
/// templates, and computes a stored report's results from the dataset's rows. Computation re-reads the
/// stored effective params and filters, so a report re-run after a restart is the same report.
/// </summary>
internal static class ReportEngine
{
    public static ReportParse Parse(JsonElement body)
    {
        var result = ReportRequestParser.Parse(body);
        if (!result.IsValid)
        {
            return new ReportParse(null, result.Errors);
        }

        var spec = result.Spec;
        return new ReportParse(
            new ReportDraft(spec.DatasetId, WireNames.Of(spec.ReportType), spec.Template, spec.Name, spec.WebhookUrl?.ToString(), spec.ParamsJson, spec.FiltersJson),
            []);
    }

    public static string TemplatesJson() => ReportTemplates.TemplatesJson();

    public static string Compute(StoredReport report, IReadOnlyList<OrderLine> lines, CancellationToken ct)
    {
        var spec = StoredSpec(report);
        try
        {
            var selection = ReportInput.Select(spec, lines);
            ct.ThrowIfCancellationRequested();
            return spec.ReportType switch
            {
                ReportType.Rfm => RfmReport.Serialize(RfmReport.Compute(selection, spec.Rfm!)),
                _ => ComputeMba(spec, selection, ct),
            };
        }
        catch (OverflowException e)
        {
            // Each order's spend is guarded where it is summed; what is left is a customer's or a segment's total.
            throw new ReportDataException(
                $"The dataset's amounts (unit_price x quantity) add up past {decimal.MaxValue:G3} and cannot be totalled; re-send the orders with wrong amounts (ingest now refuses lines over 1e15) or delete the dataset.", e);
        }
    }

    private static string ComputeMba(ReportSpec spec, ReportSelection selection, CancellationToken ct)
    {
        var p = spec.Mba!;
        return MbaReport.Compute(selection.MbaBaskets(p.Scope), p.MinSupport, p.MinConfidence, p.MaxLen, p.MaxRules, p.MinLift, p.MaxConsequent, ct).ToJson();
    }

    /// <summary>The stored report as a request again: its effective params are complete, so no template is needed.</summary>
    private static ReportSpec StoredSpec(StoredReport report)
    {
        var json = new StringBuilder()
            .Append("{\"dataset_id\":").Append(JsonSerializer.Serialize(report.DatasetId, ReportJsonContext.Default.String))
            .Append(",\"report_type\":\"").Append(report.ReportType).Append('"')
            .Append(",\"params\":").Append(report.ParamsJson)
            .Append(",\"filters\":").Append(report.FiltersJson)
            .Append('}').ToString();
        using var doc = JsonDocument.Parse(json);
        var parsed = ReportRequestParser.Parse(doc.RootElement);
        return parsed.IsValid
            ? parsed.Spec
            : throw new InvalidOperationException($"Stored report {report.ReportId} no longer parses: {string.Join("; ", parsed.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
    }
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
