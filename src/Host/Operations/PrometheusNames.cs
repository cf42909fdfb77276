using System.Globalization;
using System.Text;

namespace Affinsy.Host.Operations;

/// <summary>
/// Instrument and tag names as Prometheus names, following OpenTelemetry's Prometheus compatibility rules
/// (unit suffix, <c>_total</c> on counters, annotation units dropped). These are the names the scrape has
/// always shown and that OTLP-to-Prometheus pipelines produce, so dashboards work whichever way metrics travel.
/// prometheus-net's own meter adapter names differently (see <see cref="PrometheusMetrics"/>), hence this file.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>
    /// <c>affinsy.sync.duration</c> with unit <c>s</c> becomes <c>affinsy_sync_duration_seconds</c>; counters end
    /// in <c>_total</c>. Annotation units (<c>{order}</c>) add nothing.
    /// </summary>
    public static string Metric(string instrument, string? unit, bool counter)
    {
        var name = Sanitize(instrument);
        if (UnitSuffix(unit, counter) is { } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A tag key as a label name: <c>status.class</c> becomes <c>status_class</c>.</summary>
    public static string Label(string key)
    {
        var name = Sanitize(key);

        // Names starting with two underscores are reserved for Prometheus itself.
        return name.StartsWith("__", StringComparison.Ordinal) ? "tag" + name : name;
    }

    /// <summary>A tag value as label text: strings as they are, numbers in invariant culture.</summary>
    public static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string? UnitSuffix(string? unit, bool counter) => unit switch
    {
        null or "" => null,
        ['{', .., '}'] => null,
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "min" => "minutes",
        "h" => "hours",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        "1" => counter ? null : "ratio",
        _ when unit.All(char.IsAsciiLetter) => unit,
        _ => null,
    };

    /// <summary>
    /// Letters, digits and underscores; runs of other characters become one underscore, and a leading digit gets
    /// one in front. Colons are left out: prometheus-net refuses them in names.
    /// </summary>
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length + 1);
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            builder.Append('_');
        }

        var lastWasUnderscore = false;
        foreach (var c in text)
        {
            var keep = char.IsAsciiLetterOrDigit(c) || c == '_';
            if (!keep && lastWasUnderscore)
            {
                continue;
            }

            builder.Append(keep ? c : '_');
            lastWasUnderscore = !keep || c == '_';
        }

        return builder.ToString();
    }
}
