using Affinsy.Core.Sources;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// Knows, per source batch in source order, how many of its orders are still unacknowledged, and yields
/// the checkpoint that is safe to persist: the latest one whose batch and every batch before it are done.
/// A later request finishing first therefore never moves the checkpoint past an earlier unfinished batch.
/// </summary>
internal sealed class AckTracker
{
    private readonly Lock sync = new();
    private readonly Dictionary<long, Pending> pending = [];
    private long head;
    private long next;

    /// <summary>Batches registered but not yet taken past by <see cref="TakeSafeCheckpoint"/>.</summary>
    public int Open
    {
        get
        {
            lock (sync)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Registers the next source batch (all its orders count as unacknowledged) and returns its number.</summary>
    public long Register(int orders, Checkpoint? checkpoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        lock (sync)
        {
            var batch = next++;
            pending[batch] = new Pending { Remaining = orders, Checkpoint = checkpoint };
            return batch;
        }
    }

    /// <summary>Marks orders of a batch as done: acknowledged by Affinsy or safely dead-lettered.</summary>
    public void Acknowledge(long batch, int orders)
    {
        lock (sync)
        {
            if (!pending.TryGetValue(batch, out var entry) || entry.Remaining < orders)
            {
                throw new InvalidOperationException($"Batch {batch} acknowledged for more orders than it holds.");
            }

            entry.Remaining -= orders;
        }
    }

    /// <summary>Marks every share of a request as done.</summary>
    public void Acknowledge(IEnumerable<Sending.BatchShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        foreach (var share in shares)
        {
            Acknowledge(share.Batch, share.Orders);
        }
    }

    /// <summary>
    /// Forgets the finished batches at the head and returns the newest checkpoint among them, or null
    /// when nothing new became safe.
    /// </summary>
    public Checkpoint? TakeSafeCheckpoint()
    {
        lock (sync)
        {
            Checkpoint? safe = null;
            while (pending.TryGetValue(head, out var entry) && entry.Remaining == 0)
            {
                safe = entry.Checkpoint ?? safe;
                pending.Remove(head);
                head++;
            }

            return safe;
        }
    }

    private sealed class Pending
    {
        public int Remaining { get; set; }

        public Checkpoint? Checkpoint { get; init; }
    }
}
