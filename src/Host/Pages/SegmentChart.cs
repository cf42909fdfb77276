using System.Globalization;
using ScottPlot;

namespace Affinsy.Host.Pages;

/// <summary>
/// The RFM segment grid: recency score across, frequency score up, each segment over its cells of the RF map
/// (AFFINSY_API.md, "RFM semantics"), shaded by its revenue, with one circle sized by its customers.
/// </summary>
internal static class SegmentChart
{
    /// <summary>Each segment's cells on the 1-5 scales: R from-to, F from-to.</summary>
    private static readonly Dictionary<string, (int R0, int R1, int F0, int F1)> Cells = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Champions"] = (5, 5, 4, 5),
        ["Loyal Customers"] = (3, 4, 4, 5),
        ["Potential Loyalists"] = (4, 5, 2, 3),
        ["New Customers"] = (5, 5, 1, 1),
        ["Promising"] = (4, 4, 1, 1),
        ["Need Attention"] = (3, 3, 3, 3),
        ["About To Sleep"] = (3, 3, 1, 2),
        ["At Risk"] = (1, 2, 3, 4),
        ["Can't Lose Them"] = (1, 2, 5, 5),
        ["Hibernating"] = (1, 2, 1, 2),
    };

    public static string Grid(IReadOnlyList<RfmSegment> segments)
    {
        var plotted = segments.Where(s => Cells.ContainsKey(s.Name)).ToList();
        var plot = ChartStyle.NewPlot();
        var marks = new ChartMarks();
        var maxCustomers = plotted.Count == 0 ? 1 : plotted.Max(s => s.Customers);
        var (minRevenue, maxRevenue) = plotted.Count == 0 ? (0.0, 0.0) : (plotted.Min(s => s.Revenue), plotted.Max(s => s.Revenue));
        foreach (var segment in plotted)
        {
            var (r0, r1, f0, f1) = Cells[segment.Name];
            var area = plot.Add.Rectangle(r0 - 0.5, r1 + 0.5, f0 - 0.5, f1 + 0.5);
            area.FillStyle.Color = ChartStyle.Shade(0.1 + (0.75 * ChartStyle.Fraction(segment.Revenue, minRevenue, maxRevenue)));
            area.LineStyle.Color = Colors.White;
            area.LineStyle.Width = 3;
        }

        foreach (var segment in plotted)
        {
            var (r0, r1, f0, f1) = Cells[segment.Name];
            var (x, y) = ((r0 + r1) / 2.0, (f0 + f1) / 2.0);
            var tooltip = string.Create(CultureInfo.InvariantCulture,
                $"{segment.Name}: {segment.Customers:N0} customers ({segment.Share:P1}), revenue {segment.Revenue:N2}");
            var colour = marks.Claim(new Color(0xE0, 0x6C, 0x1F, 0xD0), "ellipse", "mark segment-mark", tooltip, ("segment", segment.Name));
            plot.Add.Marker(x, y, MarkerShape.FilledCircle, ChartStyle.Size(segment.Customers, maxCustomers, 44), colour);
            var label = plot.Add.Text($"{segment.Name}\n{segment.Customers.ToString("N0", CultureInfo.InvariantCulture)}", x, y - 0.22);
            label.LabelFontSize = 12;
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
            label.LabelAlignment = Alignment.UpperCenter;
            label.LabelFontColor = new Color(0x1d, 0x24, 0x33);
        }

        double[] scores = [1, 2, 3, 4, 5];
        string[] names = ["1", "2", "3", "4", "5"];
        plot.Axes.Bottom.SetTicks(scores, names);
        plot.Axes.Left.SetTicks(scores, names);
        plot.HideGrid();
        plot.Axes.SetLimits(0.5, 5.5, 0.5, 5.5);
        plot.Title($"{plotted.Count} segments on the RF map");
        plot.XLabel("recency score (5 = bought most recently)");
        plot.YLabel("frequency score (5 = most orders)");
        var caption = $"{plotted.Count} segments plotted, one circle each: its area shows the customers, the shade of its cells the revenue (darker = more).";
        return ChartStyle.Figure(plot, marks, "segment-chart", $"Grid of {plotted.Count} RFM segments", caption);
    }
}
