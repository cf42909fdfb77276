using Affinsy.Core.Orders;

namespace Affinsy.Sink.Sending;

/// <summary>Whole orders for one POST /data/orders, and which source batches they came from (for acknowledgements).</summary>
internal sealed class PackedRequest
{
    private readonly List<Order> orders = [];
    private readonly List<BatchShare> shares = [];

    public IReadOnlyList<Order> Orders => orders;

    /// <summary>How many of this request's orders belong to each source batch, in batch order.</summary>
    public IReadOnlyList<BatchShare> Shares => shares;

    public int LineItems { get; private set; }

    internal void Add(Order order, long batch)
    {
        orders.Add(order);
        LineItems += order.LineItems.Count;
        if (shares.Count > 0 && shares[^1].Batch == batch)
        {
            shares[^1] = shares[^1] with { Orders = shares[^1].Orders + 1 };
        }
        else
        {
            shares.Add(new BatchShare(batch, 1));
        }
    }
}

/// <summary><paramref name="Orders"/> orders of source batch number <paramref name="Batch"/>.</summary>
internal readonly record struct BatchShare(long Batch, int Orders);
