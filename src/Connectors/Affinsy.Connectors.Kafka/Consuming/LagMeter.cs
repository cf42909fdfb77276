using Affinsy.Connectors.Kafka.Offsets;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Consuming;

/// <summary>
/// Lag per owned partition from what the client already knows (the high watermark of the last fetch response and
/// the consume position): no request to the broker, so it can run every few seconds at no cost. Partitions not
/// fetched yet are left out rather than guessed. It exists apart from the loop because it is the one reading the
/// operator sees (the <c>affinsy.kafka.consumer_lag</c> metric); the loop only says when. Consumer thread only: the
/// client's positions are read there, and <c>measured</c> is called there.
/// </summary>
internal sealed class LagMeter(
    IConsumer<byte[]?, byte[]?> consumer, OwnedPartitions partitions, TimeProvider time, TimeSpan interval,
    Action<IReadOnlyList<KafkaPartitionLag>>? measured)
{
    private long last = time.GetTimestamp();

    public void MeasureIfDue()
    {
        if (measured is not null && time.GetElapsedTime(last) >= interval)
        {
            Measure();
        }
    }

    public void Measure()
    {
        last = time.GetTimestamp();
        if (measured is null)
        {
            return;
        }

        var lags = new List<KafkaPartitionLag>();
        foreach (var (partition, state) in partitions.All())
        {
            try
            {
                var high = consumer.GetWatermarkOffsets(partition).High;
                var position = state.Next >= 0 ? state.Next : consumer.Position(partition).Value;
                if (high.Value >= 0 && position >= 0)
                {
                    lags.Add(new KafkaPartitionLag(partition.Topic, partition.Partition.Value, Math.Max(0, high.Value - position)));
                }
            }
            catch (KafkaException)
            {
                // Not known right now (mid-rebalance): the next measurement has it.
            }
        }

        measured(lags);
    }
}
