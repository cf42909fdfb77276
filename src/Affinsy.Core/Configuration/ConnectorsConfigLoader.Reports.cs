using System.Globalization;

namespace Affinsy.Core.Configuration;

/// <summary>A pipeline's reports and when they run: <c>reports</c>, <c>reports_after</c>, <c>reports_when</c>, <c>keep_reports</c>.</summary>
public static partial class ConnectorsConfigLoader
{
    private static readonly string[] ReportKeys = ["template", "name", "params", "filters"];

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

            var dateRange = ReadDateRange(section);
            if (template is not null)
            {
                reports.Add(new ReportSettings(template, section.GetString("name"), parameters, dateRange));
            }
        }

        return reports;
    }

    /// <summary>
    /// <c>filters: { date_range: { from: 2026-01-01, to: 2026-06-30 } }</c> (either bound optional) or
    /// <c>{ date_range: { last: 90d } }</c>; the API's only filter is on <c>order_date</c>.
    /// </summary>
    private static ReportDateRange? ReadDateRange(ConfigSection report)
    {
        if (report.GetSection("filters") is not { } filters)
        {
            return null;
        }

        filters.RejectUnknownKeys(["date_range"]);
        if (filters.GetSection("date_range", required: true) is not { } range)
        {
            return null;
        }

        range.RejectUnknownKeys(["from", "to", "last"]);
        var from = Day(range, "from");
        var to = Day(range, "to");
        int? last = null;
        if (range.GetString("last") is { } text)
        {
            var digits = text.EndsWith('d') ? text[..^1] : text;
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 36_600)
            {
                last = days;
            }
            else
            {
                range.Report("last", $"{range.Describe("last")} is not a number of days: write it like 90d (1 to 36600)");
            }
        }

        if (last is not null && (range.Has("from") || range.Has("to")))
        {
            range.Report("last", "give either last or from/to, not both");
        }
        else if (from > to)
        {
            range.Report("from", $"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd}): the range would hold no order");
        }
        else if (last is null && from is null && to is null)
        {
            range.ReportHere("give from and/or to (YYYY-MM-DD), or last (e.g. 90d)");
        }

        return last is not null || from is not null || to is not null ? new ReportDateRange(from, to, last) : null;
    }

    private static DateOnly? Day(ConfigSection range, string key)
    {
        if (range.GetString(key) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        range.Report(key, $"{range.Describe(key)} is not a date: write it as YYYY-MM-DD (the API filters order_date by day, both ends included)");
        return null;
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
