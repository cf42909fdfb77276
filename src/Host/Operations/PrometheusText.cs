using System.Globalization;
using System.Text;

namespace Affinsy.Host.Operations;

/// <summary>The spelling rules of the Prometheus text exposition format 0.0.4: names, units, escaping, numbers.</summary>
internal static class PrometheusText
{
    /// <summary>The scrape's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// <c>affinsy.sync.duration</c> with unit <c>s</c> becomes <c>affinsy_sync_duration_seconds</c>; counters end
    /// in <c>_total</c>. Annotation units (<c>{order}</c>) add nothing, as in OpenTelemetry's Prometheus mapping.
    /// </summary>
    public static string MetricName(string instrument, string? unit, bool counter)
    {
        var name = Sanitize(instrument, allowColon: true);
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
    public static string LabelName(string key)
    {
        var name = Sanitize(key, allowColon: false);

        // Names starting with two underscores are reserved for Prometheus itself.
        return name.StartsWith("__", StringComparison.Ordinal) ? "tag" + name : name;
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.AsSpan().IndexOfAny('\\', '"', '\n') < 0
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value or bucket bound: Go float syntax, invariant culture, <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A label tag value as text: strings as they are, numbers in invariant culture.</summary>
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

    private static string Sanitize(string text, bool allowColon)
    {
        var builder = new StringBuilder(text.Length + 1);
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            builder.Append('_');
        }

        var lastWasUnderscore = false;
        foreach (var c in text)
        {
            var keep = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = keep ? c : '_';

            // Runs of replaced characters collapse to one underscore, so "a..b" stays readable.
            if (next == '_' && !keep && lastWasUnderscore)
            {
                continue;
            }

            builder.Append(next);
            lastWasUnderscore = next == '_';
        }

        return builder.ToString();
    }
}
