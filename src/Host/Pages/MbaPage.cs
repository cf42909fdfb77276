using System.Globalization;
using System.Text;

namespace Affinsy.Host.Pages;

/// <summary>The body of a market basket analysis page: insights, the two charts, and every rule in a sortable, filterable table.</summary>
internal static class MbaPage
{
    public static void Append(StringBuilder html, MbaResults results)
    {
        html.Append("<ul class=\"meta\"><li><b>").Append(Html.Count(results.Baskets)).Append("</b> baskets</li>")
            .Append("<li><b>").Append(Html.Count(results.DistinctProducts)).Append("</b> products</li>")
            .Append("<li><b>").Append(Html.Count(results.RulesTotal)).Append("</b> rules found, <b>").Append(Html.Count(results.Rules.Count)).Append("</b> kept</li></ul>");
        Html.Insights(html, results.Insights);
        html.Append("<div class=\"grid\"><section class=\"card\">").Append(RuleCharts.Scatter(results.Rules)).Append("</section>")
            .Append("<section class=\"card\">").Append(RuleCharts.Network(results.Rules)).Append("</section></div>");
        Rules(html, results.Rules);
    }

    private static void Rules(StringBuilder html, IReadOnlyList<MbaRule> rules)
    {
        html.Append("<section class=\"card\"><h2>Rules</h2><div class=\"tools\">")
            .Append("<input type=\"search\" id=\"rules-filter\" data-filter=\"rules\" placeholder=\"Filter by product\" aria-label=\"Filter rules by product\">")
            .Append("<span class=\"muted\">showing <b id=\"rules-shown\">").Append(rules.Count).Append("</b> of ").Append(rules.Count).Append(" rules; click a heading to sort</span></div>")
            .Append("<table id=\"rules\"><thead><tr><th class=\"n wide\" data-sort>#</th><th data-sort>if a basket has</th><th data-sort>it also has</th>")
            .Append("<th class=\"n\" data-sort>support</th><th class=\"n\" data-sort>confidence</th><th class=\"n\" data-sort>lift</th><th class=\"n\" data-sort>count</th></tr></thead><tbody>");
        var rank = 0;
        foreach (var rule in rules)
        {
            rank++;
            html.Append("<tr><td class=\"n wide\" data-value=\"").Append(rank).Append("\">").Append(rank).Append("</td><td>")
                .Append(Html.E(string.Join(" + ", rule.Antecedent))).Append("</td><td>")
                .Append(Html.E(string.Join(" + ", rule.Consequent))).Append("</td>");
            Cell(html, rule.Support, Html.Percent(rule.Support));
            Cell(html, rule.Confidence, Html.Percent(rule.Confidence));
            Cell(html, rule.Lift, Html.Number(rule.Lift, "0.00"));
            Cell(html, rule.Count, Html.Count(rule.Count));
            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Cell(StringBuilder html, double value, string shown) =>
        html.Append("<td class=\"n\" data-value=\"").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append("\">").Append(shown).Append("</td>");
}
