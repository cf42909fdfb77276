using System.Text;
using System.Text.Json;
using Affinsy.Reference.Mining;
using Affinsy.Reference.Reports.Streaming;
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

    /// <summary>
    /// The report's results as UTF-8 JSON, streamed from the dataset's rows (see <see cref="RfmStream"/>,
    /// <see cref="MbaStream"/>): serialised once, straight to bytes, then stored and served as they are.
    /// </summary>
    public static byte[] Compute(StoredReport report, IReportRows rows, CancellationToken ct)
    {
        var spec = StoredSpec(report);
        try
        {
            return spec.ReportType switch
            {
                ReportType.Rfm => Json(RfmReport.SerializeUtf8(RfmStream.Compute(rows, spec, ct))),
                _ => ComputeMba(spec, MbaStream.Baskets(rows, spec, ct), ct),
            };
        }
        catch (OverflowException e)
        {
            // Each order's spend is guarded where it is summed; what is left is a customer's or a segment's total.
            throw new ReportDataException(
                $"The dataset's amounts (unit_price x quantity) add up past {decimal.MaxValue:G3} and cannot be totalled; re-send the orders with wrong amounts (ingest now refuses lines over 1e15) or delete the dataset.", e);
        }
    }

    private static byte[] ComputeMba(ReportSpec spec, BasketSet baskets, CancellationToken ct)
    {
        var p = spec.Mba!;
        var results = MbaReport.Compute(baskets, p.MinSupport, p.MinConfidence, p.MaxLen, p.MaxRules, p.MinLift, p.MaxConsequent, ct);
        ReportTimings.Mark("mine");
        return Json(results.ToUtf8Json());
    }

    private static byte[] Json(byte[] json)
    {
        ReportTimings.Mark("json");
        return json;
    }

    /// <summary>The stored report as a request again: its effective params are complete, so no template is needed.</summary>
    internal static ReportSpec StoredSpec(StoredReport report)
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
