using ScottPlot;

namespace Affinsy.Host.Pages;

/// <summary>What every chart shares: size, font, palette, and ScottPlot's SVG turned into a labelled inline figure.</summary>
internal static class ChartStyle
{
    public const int Width = 640;
    public const int Height = 460;

    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.FigureBackground.Color = Colors.White;
        return plot;
    }

    /// <summary>The plot as a figure with its caption (the caption states how many items it plots).</summary>
    public static string Figure(Plot plot, ChartMarks marks, string id, string ariaLabel, string caption)
    {
        // Sized for a figure shown at about its own width: readable on a laptop and, scaled down, on a phone.
        plot.Axes.Title.Label.FontSize = 17;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = 14;
            axis.TickLabelStyle.FontSize = 12;
        }

        return $"<figure id=\"{id}\" data-marks=\"{marks.Count}\">{marks.Label(plot.GetSvgXml(Width, Height), ariaLabel)}<figcaption>{Html.E(caption)}</figcaption></figure>";
    }

    /// <summary>Marker diameter in pixels: area proportional to the value, between 6 and <paramref name="largest"/>.</summary>
    public static float Size(double value, double max, float largest = 34) =>
        max <= 0 ? 6 : (float)(6 + ((largest - 6) * Math.Sqrt(Math.Max(0, value) / max)));

    /// <summary>A blue from light (0) to dark (1).</summary>
    public static Color Shade(double fraction) => Blues.GetColor(0.9 - (0.7 * Math.Clamp(fraction, 0, 1)));

    private static readonly ScottPlot.Colormaps.Blues Blues = new();

    /// <summary>Position in [0, 1] of a value between a minimum and a maximum (0.5 when they are equal).</summary>
    public static double Fraction(double value, double min, double max) => max > min ? (value - min) / (max - min) : 0.5;
}
