using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// Every format reads JSON, which is UTF-8: a message that is not (see <see cref="MessageEncoding"/>) is a problem
/// before the format sees it. <see cref="KafkaFormats.Create"/> wraps every format in this, so a sync, a replay of the
/// dead-letter topic and a replay of the store's letters decode one way; the topic replay used to hand a Latin-1
/// letter straight to the <c>affinsy</c> reader, which threw past it.
/// </summary>
internal sealed class Utf8CheckedFormat(IMessageFormat inner) : IMessageFormat
{
    public void Accept(KafkaRecord record, IFormatOutput output)
    {
        if (record.Value is { } value && MessageEncoding.Problem(value) is { } notUtf8)
        {
            output.Problem(notUtf8, record, null);
            return;
        }

        inner.Accept(record, output);
    }

    public void FlushIdle(DateTimeOffset now, IFormatOutput output) => inner.FlushIdle(now, output);

    public void FlushAll(IFormatOutput output) => inner.FlushAll(output);

    public void Drop(IReadOnlyCollection<TopicPartition> partitions) => inner.Drop(partitions);

    public long? LowestHeldOffset(TopicPartition partition) => inner.LowestHeldOffset(partition);
}
