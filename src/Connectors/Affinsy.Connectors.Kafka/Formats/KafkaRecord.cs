using Affinsy.Core.Orders;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>One consumed message, as much of it as decoding and dead-lettering need.</summary>
internal sealed record KafkaRecord(TopicPartition Partition, long Offset, DateTimeOffset Timestamp, byte[]? Key, byte[]? Value, Headers? Headers) : IRecordOrigin
{
    /// <summary>Where it came from, as dead letters name it: <c>topic/partition@offset</c>.</summary>
    public string Position => $"{Partition.Topic}/{Partition.Partition.Value}@{Offset}";

    string IRecordOrigin.OriginalRecord => ValueText;

    public string ValueText => Value is null ? string.Empty : System.Text.Encoding.UTF8.GetString(Value);
}
