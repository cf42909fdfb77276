using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// A message's value as the dead-letter store keeps it (<see cref="Core.State.DeadLetter.OriginalRecord"/>), so
/// <c>dead-letters replay</c> can decode the very bytes again (<see cref="KafkaRecordReplayer"/>). The store holds text,
/// and most poison messages are text a person wants to read, so a value is kept as it is when that is lossless: valid
/// UTF-8, no NUL (PostgreSQL's text refuses it), no U+FFFD (what an older version wrote for bytes that were not UTF-8)
/// and none of our marker lines. Any other value is kept as base64 under a <see cref="Base64Line"/>; a tombstone (null
/// value) is the <see cref="NullLine"/>. A value over <see cref="Formats.KafkaRecord.DeadLetterValueBytes"/> keeps its
/// first bytes and ends with a <see cref="CutLine"/>: shown, counted, and not replayed. No format reads the key or the
/// headers, so they are not kept; the position is the letter's own.
/// </summary>
internal static class StoredMessage
{
    /// <summary>Every line we add starts so; a value holding it is kept as base64, so a text value never looks like ours.</summary>
    public const string Marker = "# affinsy-connect:";

    /// <summary>First line of a value kept as base64 (the rest is the base64 of its bytes).</summary>
    public const string Base64Line = Marker + " kafka message value, base64 (not kept as text: not UTF-8, or holding NUL)";

    /// <summary>The whole record of a tombstone.</summary>
    public const string NullLine = Marker + " kafka message with a null value (a tombstone)";

    /// <summary>Starts the last line of a value kept only in part.</summary>
    public const string CutLine = Marker + " record cut";

    /// <summary>The record that keeps <paramref name="value"/> (at most its first <paramref name="keep"/> bytes).</summary>
    public static string Write(byte[]? value, int keep = Formats.KafkaRecord.DeadLetterValueBytes)
    {
        if (value is null)
        {
            return NullLine;
        }

        var cut = value.Length > keep;
        var kept = value.AsSpan(0, cut ? CharBoundary(value, keep) : value.Length);
        var text = IsPlainText(kept) ? Encoding.UTF8.GetString(kept) : null;
        if (text is not null && (text.Contains(Marker, StringComparison.Ordinal) || text.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            text = null;
        }

        var record = text ?? Base64Line + "\n" + Convert.ToBase64String(kept);
        return cut
            ? record + "\n" + string.Create(CultureInfo.InvariantCulture, $"{CutLine}: the message is {value.Length:N0} bytes; the letter keeps the first {kept.Length:N0}")
            : record;
    }

    /// <summary>The value a record keeps, or why it cannot be decoded again (cut, or written by an older version that lost bytes).</summary>
    public static (byte[]? Value, string? NotReplayable) Read(string record, string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Contains("\n" + CutLine, StringComparison.Ordinal) || reason.Contains("its dead letter keeps the first", StringComparison.Ordinal))
        {
            return (null, "the message was larger than the letter keeps (see its last line in 'dead-letters show'): publish the whole message to the source topic again, then purge the letter");
        }

        if (record == NullLine)
        {
            return (null, null);
        }

        if (record.StartsWith(Base64Line + "\n", StringComparison.Ordinal))
        {
            try
            {
                return (Convert.FromBase64String(record[(Base64Line.Length + 1)..]), null);
            }
            catch (FormatException)
            {
                return (null, "the letter's base64 value cannot be read (edited by hand?): publish the message to the source topic again, then purge the letter");
            }
        }

        return record.Contains('\uFFFD', StringComparison.Ordinal)
            ? (null, "the letter was written by an older version, which replaced the bytes that were not UTF-8: publish the message to the source topic again, then purge the letter")
            : (Encoding.UTF8.GetBytes(record), null);
    }

    private static bool IsPlainText(ReadOnlySpan<byte> value) => Utf8.IsValid(value) && !value.Contains((byte)0);

    /// <summary>The largest length up to <paramref name="keep"/> that does not split a UTF-8 sequence (for text; any cut is fine for base64).</summary>
    private static int CharBoundary(byte[] value, int keep)
    {
        var end = keep;

        // A continuation byte (10xxxxxx) at the cut means a sequence started before it: back off to its first byte.
        while (end > 0 && keep - end < 4 && (value[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return keep - end < 4 ? end : keep;
    }
}
