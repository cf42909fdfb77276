using System.Buffers;
using System.Text.Unicode;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// Every format reads JSON, which is UTF-8. A message that is not (a Latin-1 or Windows-1252 product name from an
/// old producer) used to throw past the reader and stop every partition; it is checked once, before any format
/// sees it (<see cref="Utf8CheckedFormat"/>, which every format made by <see cref="KafkaFormats.Create"/> sits behind), so it becomes one dead letter naming the byte and the rest of the partition flows.
/// </summary>
internal static class MessageEncoding
{
    /// <summary>Null when <paramref name="value"/> is valid UTF-8, else the reason naming the first bad byte.</summary>
    public static string? Problem(ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            return null;
        }

        var offset = FirstInvalidByte(value);
        return $"the message is not valid UTF-8 (byte 0x{value[offset]:X2} at offset {offset}); " +
            "producers must write JSON as UTF-8: re-encode the text (a Latin-1 or Windows-1252 export, say) before producing it";
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (offset < value.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(value[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return Math.Max(0, value.Length - 1);
    }
}
