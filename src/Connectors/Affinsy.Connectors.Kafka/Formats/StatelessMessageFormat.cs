using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>A format where every message is a whole order: nothing is held back, so there is nothing to flush or drop.</summary>
internal abstract class StatelessMessageFormat : IMessageFormat
{
    public abstract void Accept(KafkaRecord record, IFormatOutput output);

    public void FlushIdle(DateTimeOffset now, IFormatOutput output)
    {
    }

    public void FlushAll(IFormatOutput output)
    {
    }

    public void Drop(IReadOnlyCollection<TopicPartition> partitions)
    {
    }

    public long? LowestHeldOffset(TopicPartition partition) => null;
}
