using System.Globalization;
using System.Xml.Linq;
using ScottPlot;

namespace Affinsy.Host.Pages;

/// <summary>
/// Finds each plotted item's mark in ScottPlot's SVG and labels it (class, <c>data-*</c>, a tooltip), so a page's
/// charts can be checked element by element and hovered. ScottPlot draws through Skia's SVG canvas, which writes
/// plain shapes; each item therefore gets a colour no other item has (nudged by a unit or two from the colour it
/// asked for, which no eye sees), and its mark is the shape painted in exactly that colour.
/// </summary>
internal sealed class ChartMarks
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly HashSet<int> _used = [];
    private readonly List<Mark> _marks = [];

    public int Count => _marks.Count;

    /// <summary>Reserves a colour close to <paramref name="wanted"/> for one item's mark.</summary>
    /// <param name="element"><c>ellipse</c> for a marker (matched on its fill), <c>path</c> for a line (matched on its stroke).</param>
    public Color Claim(Color wanted, string element, string cssClass, string tooltip, params (string Name, string Value)[] data)
    {
        var rgb = (wanted.R << 16) | (wanted.G << 8) | wanted.B;
        for (var step = 0; !_used.Add(rgb) || IsNamedBySkia(rgb); step++)
        {
            // Walks the blue then green channel a unit at a time: invisible, and never lands on a used colour twice.
            var b = (wanted.B + step + 1) % 256;
            var g = (wanted.G + ((wanted.B + step + 1) / 256)) % 256;
            rgb = (wanted.R << 16) | (g << 8) | b;
        }

        _marks.Add(new Mark(rgb, element, cssClass, tooltip, data));
        return new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb, wanted.A);
    }

    /// <summary>Returns the SVG, scalable (viewBox) and labelled, ready to inline in a page.</summary>
    /// <exception cref="InvalidOperationException">A claimed mark was not drawn (a ScottPlot change this page must follow).</exception>
    public string Label(string svg, string ariaLabel)
    {
        var doc = XDocument.Parse(svg);
        var root = doc.Root!;
        var width = (string?)root.Attribute("width") ?? "800";
        var height = (string?)root.Attribute("height") ?? "500";
        root.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        root.SetAttributeValue("width", null);
        root.SetAttributeValue("height", null);
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", ariaLabel);
        root.SetAttributeValue("preserveAspectRatio", "xMidYMid meet");

        var shapes = root.Descendants().Where(e => e.Name == Svg + "ellipse" || e.Name == Svg + "path")
            .GroupBy(e => (e.Name.LocalName, Colour: Hex((string?)e.Attribute(e.Name.LocalName == "ellipse" ? "fill" : "stroke"))))
            .ToDictionary(g => g.Key, g => new Queue<XElement>(g));
        foreach (var mark in _marks)
        {
            if (!shapes.TryGetValue((mark.Element, mark.Rgb), out var queue) || !queue.TryDequeue(out var shape))
            {
                throw new InvalidOperationException($"Chart '{ariaLabel}': the {mark.Element} of '{mark.Tooltip}' was not drawn.");
            }

            shape.SetAttributeValue("class", mark.CssClass);
            foreach (var (name, value) in mark.Data)
            {
                shape.SetAttributeValue("data-" + name, value);
            }

            shape.Add(new XElement(Svg + "title", mark.Tooltip));
        }

        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static int Hex(string? colour) =>
        colour is ['#', .. var hex] && hex.Length == 6 && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb) ? rgb : -1;

    /// <summary>Skia writes a few colours by name (black, white, red, lime, blue...): those are never claimed.</summary>
    private static bool IsNamedBySkia(int rgb) => rgb is 0x000000 or 0xFFFFFF or 0xFF0000 or 0x00FF00 or 0x0000FF
        or 0xFFFF00 or 0x00FFFF or 0xFF00FF or 0x808080 or 0xC0C0C0 or 0x800000 or 0x008000 or 0x000080 or 0x808000 or 0x800080 or 0x008080;

    private sealed record Mark(int Rgb, string Element, string CssClass, string Tooltip, (string Name, string Value)[] Data);
}
