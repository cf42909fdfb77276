using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>UTF-8 checks and lossless text for records that may not be valid UTF-8.</summary>
internal static class RecordText
{
    /// <summary>Index of the first byte that is not valid UTF-8, or -1 (a vectorized check on the common path).</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return -1;
        }

        var i = 0;
        while (i < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    /// <summary>
    /// The record as text; bytes that are not UTF-8 are written as <c>\xNN</c> rather than U+FFFD, so a dead
    /// letter keeps what the file held and a replay after fixing the encoding can be checked against it.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var text = new StringBuilder(utf8.Length + 16);
        var i = 0;
        while (i < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                // An incomplete or invalid sequence: escape its first byte and resynchronize after it.
                consumed = 1;
                text.Append(CultureInfo.InvariantCulture, $"\\x{utf8[i]:X2}");
            }

            i += consumed;
        }

        return text.ToString();
    }
}
