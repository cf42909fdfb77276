using System.Globalization;
using System.Text;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>Parses numbers and dates straight from UTF-8 field bytes.</summary>
internal static class FieldParsing
{
    /// <summary>ISO 8601 forms accepted when no date format is configured; no offset means UTC.</summary>
    public static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    public static bool TryParseDecimal(ReadOnlySpan<byte> utf8, out decimal value) =>
        decimal.TryParse(utf8.Trim(" \t"u8), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a date; values without an offset are UTC.</summary>
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

    public static string DescribeFormat(string? format) => format is null ? "an ISO 8601 date such as 2025-03-15T10:30:00Z" : $"the format '{format}'";

    public static ReadOnlySpan<byte> TrimBlank(ReadOnlySpan<byte> utf8) => utf8.Trim(" \t"u8);
}
