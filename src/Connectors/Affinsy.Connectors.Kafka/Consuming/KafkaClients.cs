using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Consuming;

/// <summary>
/// How the connector's librdkafka clients are set up: the consumer settings its delivery guarantee depends on, the
/// subscription, the end offsets a batch sync stops at, and building a client so that a refused setting never shows
/// a value. It exists so the consumer loop reads as a loop. Stateless; called on the consumer thread.
/// </summary>
internal static class KafkaClients
{
    public static ConsumerConfig ConsumerConfig(KafkaSourceOptions options)
    {
        var config = new ConsumerConfig();
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        config.GroupId = options.GroupId;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        config.AutoOffsetReset = options.StartFrom == "latest" ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
        config.EnablePartitionEof = true;
        config.IsolationLevel = IsolationLevel.ReadCommitted;

        // Headers are not read (a dead letter carries our own error headers), so the client need not marshal them
        // for every message; the topic (partition identity) and timestamp (dead-letter header) are.
        config.ConsumeResultFields = "topic,timestamp";
        return config;
    }

    public static void Subscribe(IConsumer<byte[]?, byte[]?> consumer, KafkaSourceOptions options)
    {
        if (options.TopicPattern is not null)
        {
            consumer.Subscribe("^" + options.TopicPattern.TrimStart('^'));
        }
        else
        {
            consumer.Subscribe(options.Topics);
        }
    }

    /// <summary>The high watermark of every partition of the source's topics, as a batch sync starts.</summary>
    public static Dictionary<TopicPartition, long> EndOffsetsAtStart(IConsumer<byte[]?, byte[]?> consumer, KafkaSourceOptions options)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        var pattern = options.TopicPattern is null ? null : new Regex("^" + options.TopicPattern.TrimStart('^'), RegexOptions.None, TimeSpan.FromSeconds(1));
        var result = new Dictionary<TopicPartition, long>();
        foreach (var topic in metadata.Topics)
        {
            if (pattern is null ? !options.Topics.Contains(topic.Topic) : !pattern.IsMatch(topic.Topic))
            {
                continue;
            }

            foreach (var partition in topic.Partitions)
            {
                var tp = new TopicPartition(topic.Topic, partition.PartitionId);
                result[tp] = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).High.Value;
            }
        }

        return result;
    }

    /// <summary>Builds a client; a refused setting is reported without its value (values may be secrets).</summary>
    public static T Build<T>(KafkaSourceOptions options, string pipeline, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            var message = e.Message;
            foreach (var value in options.Properties.Values)
            {
                if (value.Length > 0)
                {
                    message = message.Replace(value, "***", StringComparison.Ordinal);
                }
            }

            throw new InvalidOperationException(
                $"Pipeline {pipeline}: the Kafka client refused its settings: {message}. Check 'properties' in connectors.yaml.", e);
        }
    }
}
