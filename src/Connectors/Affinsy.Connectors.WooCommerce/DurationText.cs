using System.Globalization;

namespace Affinsy.Connectors.WooCommerce;

/// <summary>Durations written in YAML: <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or <c>hh:mm:ss</c>.</summary>
internal static class DurationText
{
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        if (text.Length > 1 && char.IsLetter(text[^1])
            && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            return char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : null;
    }
}
