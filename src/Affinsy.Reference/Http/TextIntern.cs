using System.Buffers;
using System.Text.Unicode;

namespace Affinsy.Reference.Http;

/// <summary>
/// The strings of values that repeat from request to request (product names, customer ids), found by their UTF-8
/// bytes, so a line item whose product was seen before costs no string. One bounded table per thread (the parser runs
/// on any thread-pool thread, never two at once on one): past <see cref="Capacity"/> entries it is emptied and refills.
/// </summary>
internal static class TextIntern
{
    public const int Capacity = 16_384;

    /// <summary>Longest value looked up, in bytes; longer ones are decoded as usual.</summary>
    private const int MaxBytes = 256;

    [ThreadStatic]
    private static Dictionary<string, string>? t_table;

    /// <summary>
    /// The text of unescaped UTF-8 bytes, shared with earlier equal values; false (nothing decoded) when the bytes are
    /// too long or not valid UTF-8, for the caller's usual path to decode or report.
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> utf8, out string text)
    {
        text = "";
        if (utf8.Length > MaxBytes)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxBytes];
        if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return false;
        }

        var table = t_table ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = chars[..written];
        if (lookup.TryGetValue(span, out var found))
        {
            text = found;
            return true;
        }

        if (table.Count >= Capacity)
        {
            table.Clear();
        }

        text = new string(span);
        table.Add(text, text);
        return true;
    }
}
