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

    /// <summary>First line of a letter keeping the messages of one order (<c>line_item</c>, refused whole).</summary>
    public const string OrderLine = Marker + " kafka order of several messages, each after its position line";

    /// <summary>Starts the line naming the position of the message that follows it in an order's letter.</summary>
    public const string MessageLine = Marker + " message at ";

    /// <summary>Most messages an order's letter lists and keeps; an order of more keeps the first ones and is cut.</summary>
    public const int OrderMessages = 100;

    /// <summary>
    /// The record of an order gathered from several messages: each message's value as <see cref="Write"/> keeps it,
    /// after a <see cref="MessageLine"/> naming its position. The values share one budget of
    /// <see cref="Formats.KafkaRecord.DeadLetterValueBytes"/> (and at most <see cref="OrderMessages"/> of them); past it
    /// the record ends with a <see cref="CutLine"/>, and a replay says it cannot read the order again.
    /// </summary>
    public static string WriteOrder(IReadOnlyList<Formats.KafkaRecord> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 1)
        {
            return messages[0].StoredText;
        }

        var record = new StringBuilder(OrderLine);
        var budget = Formats.KafkaRecord.DeadLetterValueBytes;
        var kept = 0;
        foreach (var message in messages.Take(OrderMessages))
        {
            var size = message.Value?.Length ?? 0;
            if (size > budget)
            {
                break;
            }

            budget -= size;
            kept++;
            record.Append('\n').Append(MessageLine).Append(message.Position).Append('\n').Append(Write(message.Value));
        }

        return kept == messages.Count
            ? record.ToString()
            : record.Append('\n').Append(CultureInfo.InvariantCulture, $"{CutLine}: the order has {messages.Count:N0} messages; the letter keeps the first {kept:N0}").ToString();
    }

    /// <summary>
    /// The messages an order's record keeps (each with its position), or why they cannot be decoded again; null when
    /// the record is not an order's (<see cref="WriteOrder"/>).
    /// </summary>
    public static (List<(string Position, byte[]? Value)>? Messages, string? NotReplayable) ReadOrder(string record, string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.StartsWith(OrderLine + "\n", StringComparison.Ordinal))
        {
            return (null, null);
        }

        if (record.Contains("\n" + CutLine, StringComparison.Ordinal))
        {
            return (null, "the order had more messages than its letter keeps (see its last line in 'dead-letters show'): publish its lines to the source topic again, then purge the letter");
        }

        var messages = new List<(string, byte[]?)>();
        foreach (var part in record[(OrderLine.Length + 1)..].Split("\n" + MessageLine, StringSplitOptions.None))
        {
            var text = part.StartsWith(MessageLine, StringComparison.Ordinal) ? part[MessageLine.Length..] : part;
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline < 0)
            {
                return (null, "the letter's order record cannot be read (edited by hand?): publish its lines to the source topic again, then purge the letter");
            }

            var (value, notReplayable) = Read(text[(newline + 1)..], reason);
            if (notReplayable is not null)
            {
                return (null, notReplayable);
            }

            messages.Add((text[..newline], value));
        }

        return (messages, null);
    }

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
