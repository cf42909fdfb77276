using Affinsy.Sink.Sending;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// Keeps two versions of one order from racing. A source may yield the same order twice in one run (modified while
/// it was being read); its newer version must reach Affinsy after the older one, so a request waits for the earlier
/// requests that carry any of its orders. Touched only by the packing task, so it needs no lock.
/// </summary>
internal sealed class OrdersInFlight
{
    /// <summary>Entries the map may hold before its completed ones are first swept.</summary>
    private const int MinPruneAt = 4_096;

    /// <summary>Which launched request last carried each order id.</summary>
    private readonly Dictionary<string, Task> carriedBy = new(StringComparer.Ordinal);
    private int pruneAt = MinPruneAt;

    /// <summary>Completes when every earlier request carrying one of <paramref name="request"/>'s orders has finished.</summary>
    public Task EarlierCarriersAsync(PackedRequest request)
    {
        HashSet<Task>? earlier = null;
        foreach (var order in request.Orders)
        {
            if (carriedBy.TryGetValue(order.OrderId, out var carrying) && !carrying.IsCompleted)
            {
                (earlier ??= []).Add(carrying);
            }
        }

        return earlier is null ? Task.CompletedTask : Task.WhenAll(earlier);
    }

    /// <summary>Records that <paramref name="send"/> now carries <paramref name="request"/>'s orders.</summary>
    public void Launched(PackedRequest request, Task send)
    {
        if (carriedBy.Count > pruneAt)
        {
            foreach (var done in carriedBy.Where(e => e.Value.IsCompleted).Select(e => e.Key).ToList())
            {
                carriedBy.Remove(done);
            }

            // Amortised O(1) per order, and the map stays within twice what is really in flight.
            pruneAt = Math.Max(MinPruneAt, 2 * carriedBy.Count);
        }

        foreach (var order in request.Orders)
        {
            carriedBy[order.OrderId] = send;
        }
    }
}
