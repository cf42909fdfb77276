using Confluent.Kafka;

namespace Affinsy.Emulators.Kafka;

/// <summary>Writes keyed messages to a topic and waits until the cluster has every one (acks=all).</summary>
public static class KafkaOrderProducer
{
    /// <summary>Produces <paramref name="messages"/> in order (a key stays on one partition) and flushes.</summary>
    public static async Task ProduceAsync(string bootstrapServers, string topic, IEnumerable<(string Key, string Value)> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var producer = KafkaMockCluster.CreateProducer(bootstrapServers);
        var pending = new List<Task<DeliveryResult<string?, string>>>();
        foreach (var (key, value) in messages)
        {
            pending.Add(producer.ProduceAsync(topic, new Message<string?, string> { Key = key, Value = value }, cancellationToken));
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        producer.Flush(cancellationToken);
    }
}
