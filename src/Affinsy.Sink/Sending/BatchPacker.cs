using Affinsy.Core.Orders;

namespace Affinsy.Sink.Sending;

/// <summary>
/// Packs whole orders, in arrival order, into requests of at most <c>maxLineItems</c> line items. An order is
/// never split: one that alone exceeds the limit cannot be sent and must be refused by the caller
/// (<see cref="Fits"/>).
/// </summary>
internal sealed class BatchPacker
{
    private readonly int maxLineItems;
    private PackedRequest current = new();

    public BatchPacker(int maxLineItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineItems, 1);
        this.maxLineItems = maxLineItems;
    }

    public bool IsEmpty => current.Orders.Count == 0;

    /// <summary>Whether the order can be sent at all under this limit.</summary>
    public bool Fits(Order order) => order.LineItems.Count <= maxLineItems;

    /// <summary>
    /// Adds the order; when it does not fit beside the orders already held, returns those as a full request
    /// and starts the next one with this order.
    /// </summary>
    public PackedRequest? Add(Order order, long batch)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!Fits(order))
        {
            throw new ArgumentException(
                $"Order {order.OrderId} has {order.LineItems.Count} line items, more than the {maxLineItems} one request may carry.",
                nameof(order));
        }

        PackedRequest? full = null;
        if (current.LineItems + order.LineItems.Count > maxLineItems)
        {
            full = current;
            current = new PackedRequest();
        }

        current.Add(order, batch);
        return full;
    }

    /// <summary>The partly filled request, if any, leaving the packer empty.</summary>
    public PackedRequest? Flush()
    {
        if (IsEmpty)
        {
            return null;
        }

        var request = current;
        current = new PackedRequest();
        return request;
    }
}
