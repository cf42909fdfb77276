using System.Globalization;

namespace Affinsy.Core.Configuration;

/// <summary>A pipeline's reports and when they run: <c>reports</c>, <c>reports_after</c>, <c>reports_when</c>, <c>keep_reports</c>.</summary>
public static partial class ConnectorsConfigLoader
{
    private static readonly string[] ReportKeys = ["template", "name", "params"];

    private static List<ReportSettings> ReadReports(ConfigSection pipeline)
    {
        var reports = new List<ReportSettings>();
        foreach (var section in pipeline.GetSectionList("reports"))
        {
            section.RejectUnknownKeys(ReportKeys);
            var template = section.GetString("template", required: true);
            var parameters = section.GetStringMap("params");
            if (template is not null)
            {
                CheckTemplateAndParams(section, template, parameters);
            }

            if (template is not null)
            {
                reports.Add(new ReportSettings(template, section.GetString("name"), parameters));
            }
        }

        return reports;
    }

    /// <summary>Refuses what <c>POST /reports</c> would answer with 400: an unknown template, an unknown or out-of-range param.</summary>
    private static void CheckTemplateAndParams(ConfigSection report, string template, IReadOnlyDictionary<string, string> parameters)
    {
        var isMba = ReportCatalog.MbaTemplates.Contains(template, StringComparer.Ordinal);
        if (!isMba && !ReportCatalog.RfmTemplates.Contains(template, StringComparer.Ordinal))
        {
            report.Report("template", $"{report.Describe("template")} is not an Affinsy report template" + Suggestions.DidYouMean(template, ReportCatalog.Templates));
            return;
        }

        if (report.GetSection("params") is not { } section)
        {
            return;
        }

        foreach (var (name, value) in parameters)
        {
            var shown = section.Describe(name);
            if ((isMba ? ReportCatalog.MbaProblem(name, value, shown) : ReportCatalog.RfmProblem(name, value, shown)) is { } problem)
            {
                section.Report(name, $"{problem} ({template} makes an {(isMba ? "MBA" : "RFM")} report; see the Params section of the Affinsy API)");
            }
        }

        // The API bounds max_consequent by max_len - 1 (max_len defaults to 4); each alone was checked above.
        if (isMba && Whole(parameters, "max_consequent") is { } consequent and >= 1 and <= 9
            && (parameters.ContainsKey("max_len") ? Whole(parameters, "max_len") : 4) is { } maxLen and >= 2 and <= 10
            && consequent > maxLen - 1)
        {
            section.Report("max_consequent", $"must be from 1 to max_len - 1 ({maxLen - 1}), got {consequent}: lower it or raise max_len");
        }
    }

    private static int? Whole(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static (long? After, ReportsWhen When, int Keep) ReadReportTiming(ConfigSection section, List<ReportSettings> reports, string? reportSchedule)
    {
        long? reportsAfter = null;
        if (section.GetSection("reports_after") is { } after)
        {
            after.RejectUnknownKeys(["orders"]);
            reportsAfter = after.GetInt("orders", 0, 1, int.MaxValue) is > 0 and var orders ? orders : null;
            if (!after.Has("orders"))
            {
                after.ReportHere("give the number of orders after which the reports run: reports_after: { orders: 10000 }");
            }
        }

        var when = section.GetChoice("reports_when", "changed", "changed", "always") == "always" ? ReportsWhen.Always : ReportsWhen.Changed;
        var keepReports = section.GetInt("keep_reports", PipelineConfig.DefaultKeepReports, 1, 10_000);
        if ((reportSchedule is not null || reportsAfter is not null) && reports.Count == 0)
        {
            section.Report(reportSchedule is not null ? "report_schedule" : "reports_after", "says when to run reports, but the pipeline has no reports: add a reports: list (e.g. - template: standard_mba)");
        }

        return (reportsAfter, when, keepReports);
    }
}
