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
                reports.Add(new ReportSettings(template, section.GetString("name"), parameters));
            }
        }

        return reports;
    }

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
