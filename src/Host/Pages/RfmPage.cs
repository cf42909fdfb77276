using System.Globalization;
using System.Text;

namespace Affinsy.Host.Pages;

/// <summary>The body of an RFM page: insights, the segment grid, and the segments table.</summary>
internal static class RfmPage
{
    public static void Append(StringBuilder html, RfmResults results)
    {
        html.Append("<ul class=\"meta\"><li><b>").Append(Html.Count(results.Customers)).Append("</b> customers</li>")
            .Append("<li>reference date <b>").Append(Html.E(results.ReferenceDate ?? "none")).Append("</b></li></ul>");
        Html.Insights(html, results.Insights);
        html.Append("<section class=\"card chart-wide\">").Append(SegmentChart.Grid(results.Segments)).Append("</section>");
        Segments(html, results.Segments);
    }

    private static void Segments(StringBuilder html, IReadOnlyList<RfmSegment> segments)
    {
        html.Append("<section class=\"card\"><h2>Segments</h2>")
            .Append("<table id=\"segments\"><thead><tr><th data-sort>segment</th><th class=\"n\" data-sort>customers</th><th class=\"n\" data-sort>share</th>")
            .Append("<th class=\"n\" data-sort>revenue</th><th class=\"n\" data-sort>avg recency (days)</th><th class=\"n\" data-sort>avg orders</th></tr></thead><tbody>");
        foreach (var s in segments)
        {
            html.Append("<tr><td>").Append(Html.E(s.Name)).Append("</td>");
            Cell(html, s.Customers, Html.Count(s.Customers));
            Cell(html, s.Share, Html.Percent(s.Share));
            Cell(html, s.Revenue, Html.Number(s.Revenue, "N2"));
            Cell(html, s.AvgRecencyDays, Html.Number(s.AvgRecencyDays, "N1"));
            Cell(html, s.AvgFrequency, Html.Number(s.AvgFrequency, "N2"));
            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Cell(StringBuilder html, double value, string shown) =>
        html.Append("<td class=\"n\" data-value=\"").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append("\">").Append(shown).Append("</td>");
}
