namespace Affinsy.Sink.Webhooks;

/// <summary>
/// Remembers the most recent delivery ids, up to a fixed count, so a retried delivery is recognised
/// while memory stays bounded (the oldest ids are forgotten first).
/// </summary>
internal sealed class DeliveryLog
{
    private readonly int capacity;
    private readonly HashSet<string> seen;
    private readonly Queue<string> order;
    private readonly Lock sync = new();

    public DeliveryLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        seen = new HashSet<string>(capacity, StringComparer.Ordinal);
        order = new Queue<string>(capacity);
    }

    /// <summary>Records the id; false when it was already there.</summary>
    public bool TryAdd(string deliveryId)
    {
        lock (sync)
        {
            if (!seen.Add(deliveryId))
            {
                return false;
            }

            order.Enqueue(deliveryId);
            if (order.Count > capacity)
            {
                seen.Remove(order.Dequeue());
            }

            return true;
        }
    }
}
