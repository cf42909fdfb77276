using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// The headers a dead letter on the topic carries (<see cref="DeadLetterTopic"/> writes them) and how a replay reads
/// them back: the original message's position, time and the reason it was refused.
/// </summary>
internal static class DeadLetterHeaders
{
    public const string Error = "affinsy.error";
    public const string Topic = "affinsy.topic";
    public const string Partition = "affinsy.partition";
    public const string Offset = "affinsy.offset";
    public const string Timestamp = "affinsy.timestamp";
    public const string Truncated = "affinsy.truncated";
    public const string OriginalSize = "affinsy.original_size";

    /// <summary>The identity of the dead letter (pipeline, original position): the same for every copy of it, so readers can de-duplicate.</summary>
    public const string Id = "affinsy.dead_letter_id";

    /// <summary>The dead letter's identity: the pipeline and the original message's position (<c>orders-from-kafka/orders/0@5</c>).</summary>
    public static string IdOf(string pipeline, string position) => pipeline + "/" + position;

    /// <summary>Where a dead letter came from, as its headers say.</summary>
    public sealed record Origin(TopicPartition Partition, long Offset, DateTimeOffset Timestamp, string Reason, bool Truncated);

    /// <summary>Reads the origin headers; null when a message lacks them (not a dead letter the connector wrote).</summary>
    public static Origin? Read(Headers? headers)
    {
        if (headers is null
            || Text(headers, Topic) is not { Length: > 0 } topic
            || !int.TryParse(Text(headers, Partition), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(Text(headers, Offset), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return null;
        }

        var timestamp = DateTimeOffset.TryParse(Text(headers, Timestamp), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : DateTimeOffset.UnixEpoch;
        return new Origin(new TopicPartition(topic, partition), offset, timestamp, Text(headers, Error) ?? string.Empty, Text(headers, Truncated) == "true");
    }

    private static string? Text(Headers headers, string key) =>
        headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;
}
