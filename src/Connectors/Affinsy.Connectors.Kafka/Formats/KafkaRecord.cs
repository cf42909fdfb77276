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

    /// <summary>The value as text for the dead-letter store: whole, or its first <see cref="DeadLetterValueBytes"/> bytes.</summary>
    string IRecordOrigin.OriginalRecord => ValueText;

    /// <summary>The value as text, at most <see cref="DeadLetterValueBytes"/> bytes of it (see <see cref="IsOversize"/>).</summary>
    public string ValueText => Value is null ? string.Empty
        : System.Text.Encoding.UTF8.GetString(Value, 0, Math.Min(Value.Length, DeadLetterValueBytes));

    /// <summary>True when a dead letter of this message keeps only part of its value.</summary>
    public bool IsOversize => Value is { Length: > DeadLetterValueBytes };

    /// <summary>What a dead-letter reason adds for an oversize message, so a reader knows the record is cut.</summary>
    public string OversizeNote => IsOversize
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (the message is {Value!.Length:N0} bytes; its dead letter keeps the first {DeadLetterValueBytes:N0})")
        : string.Empty;
}
