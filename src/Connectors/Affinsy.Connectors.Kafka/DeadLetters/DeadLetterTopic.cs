using System.Globalization;
using System.Text;
using Affinsy.Connectors.Kafka.Formats;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// Produces undecodable messages to <c>dead_letter_topic</c>: the original key and value with the error and the
/// message's position as headers. A message larger than the producer's (or the topic's) maximum message size goes
/// with its value cut to <see cref="KafkaRecord.DeadLetterValueBytes"/> and says so in <c>affinsy.truncated</c> and
/// <c>affinsy.original_size</c>, so a poison message that is also huge still leaves one dead letter on the topic.
/// </summary>
internal sealed class DeadLetterTopic(IProducer<byte[]?, byte[]?> producer, string topic, int maxMessageBytes, string pipeline, ILogger logger) : IDisposable
{
    /// <summary>Room for the key, the headers and the record framing within the maximum message size.</summary>
    private const int Overhead = 16 * 1024;

    /// <summary>librdkafka's default <c>message.max.bytes</c>, which the producer keeps unless its settings change it.</summary>
    public const int DefaultMaxMessageBytes = 1_000_000;

    public string Topic => topic;

    /// <summary>Connection and security settings apply to the dead-letter producer too; consumer tuning does not.</summary>
    public static ProducerConfig ProducerConfig(KafkaSourceOptions options)
    {
        var config = new ProducerConfig();
        foreach (var (key, value) in options.Properties)
        {
            if (IsSharedSetting(key))
            {
                config.Set(key, value);
            }
        }

        foreach (var (key, value) in options.DeadLetterProperties)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        return config;
    }

    /// <summary>
    /// Produces the dead letter and waits for it (the offset may be committed only once it is durable; bad
    /// messages are rare). False when the topic refused it even cut down: it then goes to the dead-letter store.
    /// </summary>
    public bool TryProduce(string reason, KafkaRecord record, CancellationToken token)
    {
        var size = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
        if (size + Overhead <= maxMessageBytes || !record.IsOversize)
        {
            try
            {
                Produce(reason, record, truncated: false, token);
                return true;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (record.IsOversize && IsTooLarge(e.Error.Code))
            {
                // The topic's own limit (max.message.bytes) is below the producer's: cut it as below.
            }
            catch (ProduceException<byte[]?, byte[]?> e)
            {
                return Refused(record, e.Error);
            }
        }

        try
        {
            Produce(reason, record, truncated: true, token);
            return true;
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            return Refused(record, e.Error);
        }
    }

    /// <summary>
    /// Produces a dead letter read from the topic again as it is (key, value, headers), at the end of the partition it
    /// was read from, and waits for it: a replay keeps there what it did not replay (its reason did not match) before
    /// moving past it.
    /// </summary>
    public void Requeue(TopicPartition partition, Message<byte[]?, byte[]?> letter, CancellationToken token) =>
        producer.ProduceAsync(partition, new Message<byte[]?, byte[]?> { Key = letter.Key, Value = letter.Value, Headers = letter.Headers }, token)
            .GetAwaiter().GetResult();

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(10));
        producer.Dispose();
    }

    private void Produce(string reason, KafkaRecord record, bool truncated, CancellationToken token)
    {
        var headers = new Headers
        {
            { DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(reason) },
            { DeadLetterHeaders.Topic, Encoding.UTF8.GetBytes(record.Partition.Topic) },
            { DeadLetterHeaders.Partition, Encoding.UTF8.GetBytes(record.Partition.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.Offset, Encoding.UTF8.GetBytes(record.Offset.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.Timestamp, Encoding.UTF8.GetBytes(record.Timestamp.ToString("O", CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.Id, Encoding.UTF8.GetBytes(DeadLetterHeaders.IdOf(pipeline, record.Position)) },
        };
        var value = record.Value;
        if (truncated && value is not null)
        {
            headers.Add(DeadLetterHeaders.Truncated, Encoding.UTF8.GetBytes("true"));
            headers.Add(DeadLetterHeaders.OriginalSize, Encoding.UTF8.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
            value = value.AsSpan(0, KafkaRecord.DeadLetterValueBytes).ToArray();
        }

        producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = record.Key, Value = value, Headers = headers }, token)
            .GetAwaiter().GetResult();
    }

    private bool Refused(KafkaRecord record, Error error)
    {
        logger.LogWarning("Pipeline {Pipeline}: dead-letter topic {Topic} refused {Position} ({Reason}); it goes to the dead-letter store.",
            pipeline, topic, record.Position, error.Reason);
        return false;
    }

    private static bool IsTooLarge(ErrorCode code) => code == ErrorCode.MsgSizeTooLarge;

    private static bool IsSharedSetting(string key) =>
        key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
        || key.StartsWith("ssl.", StringComparison.Ordinal) || key.StartsWith("client.", StringComparison.Ordinal)
        || key.StartsWith("socket.", StringComparison.Ordinal) || key.StartsWith("broker.", StringComparison.Ordinal)
        || key.StartsWith("test.mock.", StringComparison.Ordinal);
}
