using System.Text;
using System.Text.Json;
using Affinsy.Sink.Api;

namespace Affinsy.Host.Pages;

/// <summary>One report as a page: a header every report shares, then the MBA or RFM body, or the failure.</summary>
internal static class ReportPage
{
    public static string Render(Report report, string pipeline, string indexHref)
    {
        var html = new StringBuilder(64 * 1024);
        var what = report.Template ?? report.ReportType;
        html.Append("<nav class=\"noprint\"><a href=\"").Append(Html.E(indexHref)).Append("\">All reports</a></nav>")
            .Append("<h1>").Append(Html.E(what)).Append(" <span class=\"muted\">for ").Append(Html.E(pipeline)).Append("</span></h1>")
            .Append("<ul class=\"meta\">")
            .Append("<li>report <b>").Append(Html.E(report.ReportId)).Append("</b></li>")
            .Append("<li>type <b>").Append(Html.E(report.ReportType)).Append("</b></li>")
            .Append("<li>dataset <b>").Append(Html.E(report.DatasetId)).Append("</b></li>")
            .Append("<li>status <b class=\"").Append(report.Status == Report.Completed ? "ok" : "bad").Append("\">").Append(Html.E(report.Status)).Append("</b></li>")
            .Append("<li>created ").Append(Html.Time(report.CreatedAt)).Append("</li>")
            .Append("<li>completed ").Append(Html.Time(report.CompletedAt)).Append("</li>");
        if (Parameters(report.Params) is { Length: > 0 } parameters)
        {
            html.Append("<li>params <b>").Append(Html.E(parameters)).Append("</b></li>");
        }

        html.Append("</ul>");
        if (report.Status != Report.Completed || report.Results is not { ValueKind: JsonValueKind.Object } results)
        {
            html.Append("<section class=\"card error\"><h2>No results</h2><p>")
                .Append(Html.E(report.Error ?? $"The report is {report.Status}."))
                .Append("</p></section>");
        }
        else if (string.Equals(report.ReportType, "MBA", StringComparison.OrdinalIgnoreCase))
        {
            MbaPage.Append(html, MbaResults.Read(results));
        }
        else if (string.Equals(report.ReportType, "RFM", StringComparison.OrdinalIgnoreCase))
        {
            RfmPage.Append(html, RfmResults.Read(results));
        }
        else
        {
            html.Append("<section class=\"card\"><p>This page has no view of ").Append(Html.E(report.ReportType)).Append(" reports; the JSON beside it holds the results.</p></section>");
        }

        return PageShell.Document($"{what} for {pipeline} ({report.ReportId})", html.ToString());
    }

    /// <summary>The effective params as <c>name=value</c> pairs: numbers and words only, as the API returns them.</summary>
    private static string Parameters(JsonElement? parameters) =>
        parameters is { ValueKind: JsonValueKind.Object } p
            ? string.Join(", ", p.EnumerateObject().Select(x => $"{x.Name}={(x.Value.ValueKind == JsonValueKind.String ? x.Value.GetString() : x.Value.GetRawText())}"))
            : "";
}
