using System.Globalization;
using System.Text;

namespace Affinsy.Core.Sources.Text;

/// <summary>
/// Parses numbers and dates straight from UTF-8 field bytes, the same way for every source that reads text fields
/// (the <c>csv</c> and <c>jsonl</c> file sources, JSON Lines lines from elsewhere): invariant culture, <c>.</c> for
/// decimals, ISO 8601 dates unless a format is configured, a date without an offset in UTC.
/// </summary>
public static class FieldParsing
{
    /// <summary>ISO 8601 forms accepted when no date format is configured; no offset means UTC.</summary>
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>A decimal in invariant culture (exponent allowed), blanks around it ignored.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> utf8, out decimal value) =>
        decimal.TryParse(utf8.Trim(" \t"u8), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a date in <paramref name="format"/> (null: the ISO 8601 forms yyyy-MM-dd, with a time after T or a space, with or without fractions and offset); values without an offset are UTC.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, string? format, out DateTimeOffset value)
    {
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        var ok = format is null
            ? DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, styles, out value)
            : DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, styles, out value);
        if (ok)
        {
            value = value.ToUniversalTime();
        }

        return ok;
    }

    /// <summary>As <see cref="TryParseDate(ReadOnlySpan{char}, string?, out DateTimeOffset)"/>, from UTF-8 bytes (at most 128).</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> utf8, string? format, out DateTimeOffset value)
    {
        Span<char> chars = stackalloc char[128];
        if (utf8.Length > chars.Length)
        {
            value = default;
            return false;
        }

        var length = Encoding.UTF8.GetChars(utf8, chars);
        return TryParseDate(chars[..length], format, out value);
    }

    /// <summary>How a date is expected to look, for a refusal's reason.</summary>
    public static string DescribeFormat(string? format) => format is null ? "an ISO 8601 date such as 2025-03-15T10:30:00Z" : $"the format '{format}'";

    /// <summary>The bytes without the spaces and tabs around them.</summary>
    public static ReadOnlySpan<byte> TrimBlank(ReadOnlySpan<byte> utf8) => utf8.Trim(" \t"u8);
}
