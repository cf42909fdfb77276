using System.Globalization;
using ScottPlot;

namespace Affinsy.Host.Pages;

/// <summary>The two MBA charts: the strongest rules (lift against support, sized by count) and the product network.</summary>
internal static class RuleCharts
{
    public const int ScatterRules = 40;
    public const int NetworkPairs = 24;

    /// <summary>The <see cref="ScatterRules"/> strongest rules (the report's order: lift first), one marker each.</summary>
    public static string Scatter(IReadOnlyList<MbaRule> rules)
    {
        var plotted = rules.Take(ScatterRules).ToList();
        var plot = ChartStyle.NewPlot();
        var marks = new ChartMarks();
        var maxCount = plotted.Count == 0 ? 1 : plotted.Max(r => r.Count);
        var colours = new ScottPlot.Colormaps.Viridis();
        foreach (var (rule, rank) in plotted.Select((r, i) => (r, i + 1)))
        {
            var tooltip = string.Create(CultureInfo.InvariantCulture,
                $"#{rank} {rule.Text}: support {rule.Support:P2}, confidence {rule.Confidence:P1}, lift {rule.Lift:0.00}, {rule.Count} baskets");
            var colour = marks.Claim(colours.GetColor(0.15 + (0.7 * rule.Confidence)).WithAlpha(0.75), "ellipse", "mark rule-mark", tooltip, ("rank", rank.ToString(CultureInfo.InvariantCulture)));
            plot.Add.Marker(rule.Support * 100, rule.Lift, MarkerShape.FilledCircle, ChartStyle.Size(rule.Count, maxCount), colour);
        }

        plot.Title($"The {plotted.Count} strongest rules");
        plot.XLabel("support (% of baskets)");
        plot.YLabel("lift");
        if (plotted.Count > 0)
        {
            plot.Axes.Margins(0.12, 0.12);
        }

        var caption = $"{plotted.Count} of {rules.Count} rules plotted, one circle each: lift against support; area shows the basket count, colour the confidence (purple low, yellow high). Hover a circle for its rule.";
        return ChartStyle.Figure(plot, marks, "rule-chart", $"Scatter chart of {plotted.Count} rules", caption);
    }

    /// <summary>
    /// The strongest one-to-one associations as a network: products on a circle, one line per pair (an unordered
    /// pair keeps its higher lift), thicker and darker for a higher lift.
    /// </summary>
    public static string Network(IReadOnlyList<MbaRule> rules)
    {
        var pairs = rules.Where(r => r.Antecedent.Count == 1 && r.Consequent.Count == 1)
            .GroupBy(r => string.CompareOrdinal(r.Antecedent[0], r.Consequent[0]) < 0 ? (r.Antecedent[0], r.Consequent[0]) : (r.Consequent[0], r.Antecedent[0]))
            .Select(g => (A: g.Key.Item1, B: g.Key.Item2, Best: g.MaxBy(r => r.Lift)!))
            .OrderByDescending(p => p.Best.Lift).ThenBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal)
            .Take(NetworkPairs).ToList();
        var products = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var at = products.Select((name, i) => (name, angle: (Math.PI / 2) - (2 * Math.PI * i / Math.Max(1, products.Count))))
            .ToDictionary(p => p.name, p => (X: Math.Cos(p.angle), Y: Math.Sin(p.angle)), StringComparer.Ordinal);

        var plot = ChartStyle.NewPlot();
        var marks = new ChartMarks();
        var (minLift, maxLift) = pairs.Count == 0 ? (1.0, 1.0) : (pairs.Min(p => p.Best.Lift), pairs.Max(p => p.Best.Lift));
        foreach (var (a, b, best) in pairs)
        {
            var strength = ChartStyle.Fraction(best.Lift, minLift, maxLift);
            var tooltip = string.Create(CultureInfo.InvariantCulture, $"{a} \u2194 {b}: lift {best.Lift:0.00}, {best.Count} baskets");
            var line = plot.Add.Line(at[a].X, at[a].Y, at[b].X, at[b].Y);
            line.LineWidth = (float)(1.5 + (6 * strength));
            line.LineColor = marks.Claim(ChartStyle.Shade(0.35 + (0.65 * strength)), "path", "mark pair-mark", tooltip,
                ("lift", best.Lift.ToString("0.###", CultureInfo.InvariantCulture)));
        }

        foreach (var product in products)
        {
            plot.Add.Marker(at[product].X, at[product].Y, MarkerShape.FilledCircle, 11, new Color(0x1d, 0x24, 0x33));
            var label = plot.Add.Text(product.Length > 28 ? product[..27] + "\u2026" : product, at[product].X * 1.08, at[product].Y * 1.08);
            label.LabelFontSize = 11;
            label.LabelAlignment = Anchor(at[product].X, at[product].Y);
        }

        plot.Title($"The {pairs.Count} strongest product pairs");
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(-2.5, 2.5, -1.3, 1.3);
        var caption = $"{pairs.Count} product pairs plotted, one line each, between {products.Count} products; a thicker, darker line has a higher lift. Hover a line for its numbers.";
        return ChartStyle.Figure(plot, marks, "pair-chart", $"Network of {pairs.Count} product pairs", caption);
    }

    /// <summary>Where a label hangs from its point: away from the circle's centre, so labels sit outside the network.</summary>
    private static Alignment Anchor(double x, double y)
    {
        var column = x < -0.2 ? 0 : x > 0.2 ? 2 : 1;
        var row = y > 0.2 ? 0 : y < -0.2 ? 2 : 1;
        return (row, column) switch
        {
            (0, 0) => Alignment.LowerRight,
            (0, 1) => Alignment.LowerCenter,
            (0, _) => Alignment.LowerLeft,
            (1, 0) => Alignment.MiddleRight,
            (1, 1) => Alignment.MiddleCenter,
            (1, _) => Alignment.MiddleLeft,
            (_, 0) => Alignment.UpperRight,
            (_, 1) => Alignment.UpperCenter,
            _ => Alignment.UpperLeft,
        };
    }
}
