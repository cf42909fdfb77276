using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka.Consuming;

/// <summary>
/// Bounds what the connector holds: over <see cref="KafkaSourceOptions.MaxUnacknowledged"/> consumed and not yet
/// acknowledged messages the consumer first holds: it stops taking messages and waits for acknowledgements, leaving
/// librdkafka's prefetch (itself bounded by <c>queued.max.messages.kbytes</c>) in place, so a sink that catches up
/// within <see cref="KafkaSourceOptions.HoldBeforePause"/> costs no refetch. A longer stall (a throttled API, an
/// outage) pauses the partitions, which also stops fetching and drops the prefetch, and resumes them at half the
/// limit. Partitions assigned while paused are paused on the next turn. Consumer thread only.
/// </summary>
internal sealed class BackPressure(IConsumer<byte[]?, byte[]?> consumer, KafkaSourceOptions options, TimeProvider time, ILogger logger, string pipeline)
{
    private readonly List<TopicPartition> toPause = [];
    private bool paused;
    private long? holdingSince;

    /// <summary>Applies the rule to <paramref name="outstanding"/> messages; true while holding (take no message now).</summary>
    public bool Apply(long outstanding)
    {
        if (!paused && outstanding > options.MaxUnacknowledged)
        {
            holdingSince ??= time.GetTimestamp();
            if (time.GetElapsedTime(holdingSince.Value) < options.HoldBeforePause)
            {
                return true;
            }

            holdingSince = null;
            consumer.Pause(consumer.Assignment);
            paused = true;
            toPause.Clear();
            logger.LogDebug("Pipeline {Pipeline}: paused, {Outstanding} messages not yet acknowledged.", pipeline, outstanding);
        }
        else if (!paused)
        {
            holdingSince = null;
        }
        else if (outstanding <= options.MaxUnacknowledged / 2)
        {
            consumer.Resume(consumer.Assignment);
            paused = false;
            toPause.Clear();
        }
        else if (toPause.Count > 0)
        {
            consumer.Pause(toPause);
            toPause.Clear();
        }

        return false;
    }

    /// <summary>Newly assigned partitions start fetching: while paused they are paused too, on the next turn.</summary>
    public void Assigned(List<TopicPartition> assigned)
    {
        if (paused)
        {
            toPause.AddRange(assigned);
        }
    }

    /// <summary>Stops fetching for good (a batch sync that read to its end and only awaits acknowledgements).</summary>
    public void PauseAll()
    {
        consumer.Pause(consumer.Assignment);
        paused = true;
    }
}
