using Affinsy.Connectors.Kafka.Formats;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Consuming;

/// <summary>
/// The partitions this consumer has been assigned and how far it read each. It exists because three concerns ask
/// the same question (is this partition still ours, under which assignment, read up to where?): the loop for every
/// message, the offset committer for every acknowledged batch, the lag meter. An assignment's epoch tells a batch
/// read before a revoke from one read after the partition came back. Consumer thread only: assignments change in
/// the rebalance handlers, which librdkafka calls from inside <c>Consume</c> on that thread.
/// </summary>
internal sealed class OwnedPartitions
{
    private readonly Dictionary<TopicPartition, OwnedPartition> partitions = [];
    private bool assignedOnce;

    public void Assign(List<TopicPartition> assigned)
    {
        assignedOnce = true;
        foreach (var partition in assigned)
        {
            if (!partitions.TryGetValue(partition, out var state))
            {
                state = new OwnedPartition();
                partitions.Add(partition, state);
            }

            state.Epoch++;
            state.Assigned = true;
            state.Next = -1;
            state.Stored = -1;
            state.AtEnd = false;
        }
    }

    public void Release(List<TopicPartition> gone)
    {
        foreach (var partition in gone)
        {
            if (partitions.TryGetValue(partition, out var state))
            {
                state.Assigned = false;
            }
        }
    }

    /// <summary>The partition's state when it is ours now; null for a message of a partition already let go.</summary>
    public OwnedPartition? Owned(TopicPartition partition) =>
        partitions.TryGetValue(partition, out var state) && state.Assigned ? state : null;

    /// <summary>The partition's state when it is still ours under the assignment <paramref name="epoch"/>.</summary>
    public OwnedPartition? OwnedSince(TopicPartition partition, int epoch) =>
        Owned(partition) is { } state && state.Epoch == epoch ? state : null;

    /// <summary>
    /// Messages still to read up to <paramref name="ends"/> (a batch sync's end offsets) in the partitions this consumer
    /// owns; null while one of them has no known position yet (assigned, nothing consumed, no end-of-partition seen).
    /// Partitions another member of the group owns are theirs to count.
    /// </summary>
    public long? RemainingTo(IReadOnlyDictionary<TopicPartition, long> ends)
    {
        long remaining = 0;
        var owned = false;
        foreach (var (partition, end) in ends)
        {
            if (Owned(partition) is not { } state)
            {
                continue;
            }

            if (state.Next < 0)
            {
                return null;
            }

            owned = true;
            remaining += Math.Max(0, end - state.Next);
        }

        return owned ? remaining : null;
    }

    /// <summary>Every partition owned now, for the lag meter.</summary>
    public IEnumerable<(TopicPartition Partition, OwnedPartition State)> All()
    {
        foreach (var (partition, state) in partitions)
        {
            if (state.Assigned)
            {
                yield return (partition, state);
            }
        }
    }

    /// <summary>
    /// Per partition read so far, the offset that is safe once everything handed over is acknowledged: the offset
    /// after the last message read, lowered to the first message the format still holds.
    /// </summary>
    public (List<(TopicPartition Partition, int Epoch, long Offset)> Safe, Dictionary<string, long> ByName) SafeOffsets(IMessageFormat format)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        var safe = new List<(TopicPartition Partition, int Epoch, long Offset)>();
        foreach (var (partition, state) in partitions)
        {
            if (!state.Assigned || state.Next < 0)
            {
                continue;
            }

            var offset = Math.Min(state.Next, format.LowestHeldOffset(partition) ?? state.Next);
            safe.Add((partition, state.Epoch, offset));
            byName[$"{partition.Topic}/{partition.Partition.Value}"] = offset;
        }

        return (safe, byName);
    }

    /// <summary>True once every owned partition reached <paramref name="ends"/> (partitions created later are not part of the sync).</summary>
    public bool ReachedEnds(Dictionary<TopicPartition, long> ends)
    {
        if (!assignedOnce)
        {
            return false;
        }

        foreach (var (partition, state) in partitions)
        {
            if (state.Assigned && ends.TryGetValue(partition, out var end) && !state.AtEnd && state.Next < end)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One partition as this consumer knows it (consumer thread only, like <see cref="OwnedPartitions"/>).</summary>
internal sealed class OwnedPartition
{
    public int Epoch { get; set; }

    public bool Assigned { get; set; }

    /// <summary>The offset after the last message consumed in this assignment; -1 before the first.</summary>
    public long Next { get; set; } = -1;

    /// <summary>The offset last stored for the next commit in this assignment; -1 before the first.</summary>
    public long Stored { get; set; } = -1;

    public bool AtEnd { get; set; }

    public void Consumed(long offset)
    {
        AtEnd = false;
        Next = offset + 1;
    }

    public void ReachedEnd(long offset)
    {
        AtEnd = true;
        Next = Math.Max(Next, offset);
    }
}
