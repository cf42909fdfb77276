using Affinsy.Core.Orders;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>One consumed message, as much of it as decoding and dead-lettering need.</summary>
internal sealed record KafkaRecord(TopicPartition Partition, long Offset, DateTimeOffset Timestamp, byte[]? Key, byte[]? Value, Headers? Headers) : IRecordOrigin
{
    /// <summary>
    /// How much of a message a dead letter keeps when the whole of it does not fit (the dead-letter topic's message
    /// size, or the dead-letter store for a message over this size): its first 64 KiB, enough to see what it was.
    /// </summary>
    public const int DeadLetterValueBytes = 64 * 1024;

    /// <summary>Where it came from, as dead letters name it: <c>topic/partition@offset</c>.</summary>
    public string Position => $"{Partition.Topic}/{Partition.Partition.Value}@{Offset}";

    /// <summary>The value as the dead-letter store keeps it: whole, or its first <see cref="DeadLetterValueBytes"/> bytes.</summary>
    string IRecordOrigin.OriginalRecord => StoredText;

    /// <summary>
    /// The value as the dead-letter store keeps it (<see cref="DeadLetters.StoredMessage"/>: text when lossless, else
    /// base64; at most <see cref="DeadLetterValueBytes"/> bytes of it, see <see cref="IsOversize"/>), so a replay can
    /// decode the same bytes again.
    /// </summary>
    public string StoredText => DeadLetters.StoredMessage.Write(Value);

    /// <summary>True when a dead letter of this message keeps only part of its value.</summary>
    public bool IsOversize => Value is { Length: > DeadLetterValueBytes };

    /// <summary>What a dead-letter reason adds for an oversize message, so a reader knows the record is cut.</summary>
    public string OversizeNote => IsOversize
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (the message is {Value!.Length:N0} bytes; its dead letter keeps the first {DeadLetterValueBytes:N0})")
        : string.Empty;
}
