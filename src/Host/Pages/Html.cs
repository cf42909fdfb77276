using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Affinsy.Host.Pages;

/// <summary>
/// Text into HTML: every value that came from data (product names, segment names, ids, errors) goes through
/// <see cref="E"/>, so a product called <c>&lt;script&gt;</c> is shown, never run.
/// </summary>
internal static class Html
{
    /// <summary>Encodes text for an element body or a quoted attribute.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string When(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";

    /// <summary>A UTC time as a <c>&lt;time&gt;</c> element (machine-readable, shown in UTC).</summary>
    public static string Time(DateTimeOffset? at) => at is { } t
        ? $"<time datetime=\"{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">{When(t)}</time>"
        : "never";

    /// <summary>Appends a list of sentences as a bulleted list, or a note that there are none.</summary>
    public static void Insights(StringBuilder html, IReadOnlyList<string> insights)
    {
        html.Append("<section class=\"card\"><h2>Insights</h2>");
        if (insights.Count == 0)
        {
            html.Append("<p class=\"muted\">No insights: too little data for a finding.</p></section>");
            return;
        }

        html.Append("<ul class=\"insights\">");
        foreach (var sentence in insights)
        {
            html.Append("<li>").Append(E(sentence)).Append("</li>");
        }

        html.Append("</ul></section>");
    }
}
