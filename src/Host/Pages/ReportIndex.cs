using System.Text;
using System.Text.Json;
using Affinsy.Sink.Api;

namespace Affinsy.Host.Pages;

/// <summary>
/// <c>reports/index.html</c>: a section per pipeline (<c>#pipeline-&lt;name&gt;</c>) with a row per template for
/// its latest report, built from the <c>latest.json</c> files on disk, so it lists every pipeline that ever saved one.
/// </summary>
internal static class ReportIndex
{
    public static string Render(string reportsDirectory)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<h1>Reports</h1><p class=\"muted\">The latest report of every pipeline and template under ")
            .Append(Html.E(reportsDirectory)).Append(". Each page is self-contained: copy or mail it as it is.</p>");
        var pipelines = Directory.Exists(reportsDirectory)
            ? Directory.GetDirectories(reportsDirectory).Order(StringComparer.Ordinal).ToList()
            : [];
        if (pipelines.Count == 0)
        {
            html.Append("<section class=\"card\"><p>No reports yet: run <code>affinsy-connect sync</code>.</p></section>");
        }

        foreach (var directory in pipelines)
        {
            var pipeline = Path.GetFileName(directory);
            html.Append("<section class=\"card\" id=\"pipeline-").Append(Html.E(pipeline)).Append("\"><h2>").Append(Html.E(pipeline)).Append("</h2>")
                .Append("<table><thead><tr><th>template</th><th>status</th><th>completed</th><th>summary</th><th class=\"wide\">earlier</th></tr></thead><tbody>");
            foreach (var templateDirectory in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                Row(html, pipeline, templateDirectory);
            }

            html.Append("</tbody></table></section>");
        }

        return PageShell.Document("Affinsy reports", html.ToString());
    }

    private static void Row(StringBuilder html, string pipeline, string templateDirectory)
    {
        var template = Path.GetFileName(templateDirectory);
        if (Read(Path.Combine(templateDirectory, "latest.json")) is not { } report)
        {
            return;
        }

        var href = Uri.EscapeDataString(pipeline) + "/" + Uri.EscapeDataString(template) + "/";
        var earlier = Directory.GetFiles(templateDirectory, "*-*.html").Length;
        html.Append("<tr><td><a class=\"report-link\" href=\"").Append(Html.E(href + ReportPages.LatestPage)).Append("\">").Append(Html.E(template)).Append("</a></td>")
            .Append("<td class=\"").Append(report.Status == Report.Completed ? "ok" : "bad").Append("\">").Append(Html.E(report.Status)).Append("</td>")
            .Append("<td>").Append(Html.Time(report.CompletedAt)).Append("</td>")
            .Append("<td>").Append(Html.E(Summary(report))).Append("</td>")
            .Append("<td class=\"wide\">").Append(earlier).Append(" saved (<a href=\"").Append(Html.E(href + "latest.json")).Append("\">JSON</a>)</td></tr>");
    }

    /// <summary>One line about the results, for the index.</summary>
    private static string Summary(Report report)
    {
        if (report.Results is not { ValueKind: JsonValueKind.Object } results)
        {
            return report.Error ?? "";
        }

        return string.Equals(report.ReportType, "MBA", StringComparison.OrdinalIgnoreCase)
            ? $"{Html.Count(MbaResults.Long(results, "rules_total"))} rules from {Html.Count(MbaResults.Long(results, "baskets"))} baskets"
            : $"{Html.Count(MbaResults.Long(results, "customers"))} customers in {MbaResults.Items(results, "segments").Count()} segments";
    }

    private static Report? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), AffinsyJsonContext.Default.Report) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // a file being replaced or edited by hand: the index shows what it can read
        }
    }
}
