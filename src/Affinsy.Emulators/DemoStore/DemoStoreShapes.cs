using System.Globalization;
using System.Text;
using System.Text.Json;
using Shopify = Affinsy.Emulators.Shopify;
using Woo = Affinsy.Emulators.WooCommerce;

namespace Affinsy.Emulators.DemoStore;

/// <summary>The demo store in each source's shape: the emulators' own order models, or Kafka messages.</summary>
public static class DemoStoreShapes
{
    /// <summary>Shopify orders: cancelled (<c>cancelledAt</c>), <c>test</c>, refunds as <c>currentQuantity</c> below <c>quantity</c>.</summary>
    public static IReadOnlyList<Shopify.EmulatedOrder> ToShopify(IReadOnlyList<DemoOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var result = new List<Shopify.EmulatedOrder>(orders.Count);
        long lineId = 14_000_000_000;
        foreach (var o in orders)
        {
            var lines = o.Lines.Select(l => new Shopify.EmulatedLine(lineId++, l.Name, null, l.Sku, l.Quantity, l.Quantity - l.RefundedQuantity, l.UnitPrice, l.UnitPrice)).ToList();
            result.Add(new Shopify.EmulatedOrder(
                5_000_000_000 + o.Number, "#" + o.Number.ToString(CultureInfo.InvariantCulture),
                Whole(o.CreatedAt), Whole(o.CreatedAt), Whole(o.UpdatedAt),
                o.Kind == DemoOrderKind.Cancelled ? Whole(o.UpdatedAt) : null,
                o.Kind == DemoOrderKind.Test, "GBP", o.CustomerId, o.Email, lines));
        }

        return result;
    }

    /// <summary>
    /// WooCommerce orders: <c>completed</c>, or <c>processing</c> in the last two days; <c>cancelled</c>, <c>failed</c>
    /// (WooCommerce has no test flag: an unpaid checkout is its nearest), <c>refunded</c> with a refund of every line,
    /// and partial refunds as refund objects, as WooCommerce keeps them.
    /// </summary>
    public static IReadOnlyList<Woo.EmulatedOrder> ToWooCommerce(IReadOnlyList<DemoOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var productIds = orders.SelectMany(o => o.Lines).Select(l => l.Sku).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((sku, i) => (sku, i)).ToDictionary(x => x.sku, x => 100L + x.i, StringComparer.Ordinal);
        var newest = orders.Count == 0 ? DateTimeOffset.MinValue : orders[^1].CreatedAt;
        var result = new List<Woo.EmulatedOrder>(orders.Count);
        long lineId = 1, refundId = 900_000;
        foreach (var o in orders)
        {
            var order = new Woo.EmulatedOrder
            {
                Id = 10_000 + o.Number,
                Number = o.Number.ToString(CultureInfo.InvariantCulture),
                Status = WooStatus(o, newest),
                Currency = "GBP",
                CustomerId = o.CustomerId ?? 0,
                Email = o.Email ?? string.Empty,
                CreatedGmt = o.CreatedAt.UtcDateTime,
                ModifiedGmt = o.UpdatedAt.UtcDateTime,
                PaidGmt = o.Kind is DemoOrderKind.Test or DemoOrderKind.Cancelled ? null : o.CreatedAt.UtcDateTime,
                Shipping = 3.95m,
            };
            Woo.EmulatedRefund? refund = o.Kind is DemoOrderKind.Refunded or DemoOrderKind.PartlyRefunded
                ? new Woo.EmulatedRefund { Id = refundId++, CreatedGmt = o.UpdatedAt.UtcDateTime, Reason = o.Kind == DemoOrderKind.Refunded ? "Order refunded" : "Damaged in transit" }
                : null;
            foreach (var l in o.Lines)
            {
                var line = new Woo.EmulatedLine
                {
                    Id = lineId++, Name = l.Name, ProductId = productIds[l.Sku], Sku = l.Sku, Quantity = l.Quantity,
                    Subtotal = l.UnitPrice * l.Quantity, Total = l.UnitPrice * l.Quantity,
                };
                order.Lines.Add(line);
                if (refund is not null && l.RefundedQuantity > 0)
                {
                    refund.Lines.Add(new Woo.EmulatedRefundLine
                    {
                        Id = lineId++, RefundedItemId = line.Id, Name = l.Name, ProductId = line.ProductId,
                        Quantity = -l.RefundedQuantity, Total = -(l.UnitPrice * l.RefundedQuantity),
                    });
                }
            }

            if (refund is not null)
            {
                order.Refunds.Add(refund);
            }

            result.Add(order);
        }

        return result;
    }

    /// <summary>
    /// Kafka messages in the connector's <c>affinsy</c> format (one order per message, the API's shape), keyed by order
    /// id; only what the store sold (a message stream carries no cancellations), partial refunds taken off.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> ToAffinsyMessages(IReadOnlyList<DemoOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var result = new List<(string, string)>(orders.Count);
        using var buffer = new MemoryStream();
        foreach (var o in orders.Where(o => o.IsSent))
        {
            buffer.SetLength(0);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("order_id", o.Number.ToString(CultureInfo.InvariantCulture));
                if (o.CustomerId is { } customer)
                {
                    w.WriteString("customer_id", customer.ToString(CultureInfo.InvariantCulture));
                }

                w.WriteString("order_date", o.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteString("currency", "GBP");
                w.WriteStartArray("line_items");
                foreach (var l in o.Lines.Where(l => l.Quantity > l.RefundedQuantity))
                {
                    w.WriteStartObject();
                    w.WriteString("product_name", l.Name);
                    w.WriteNumber("unit_price", l.UnitPrice);
                    w.WriteNumber("quantity", l.Quantity - l.RefundedQuantity);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            result.Add((o.Number.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)));
        }

        return result;
    }

    private static string WooStatus(DemoOrder o, DateTimeOffset newest) => o.Kind switch
    {
        DemoOrderKind.Cancelled => "cancelled",
        DemoOrderKind.Test => "failed",
        DemoOrderKind.Refunded => "refunded",
        _ => o.CreatedAt > newest.AddDays(-2) ? "processing" : "completed",
    };

    private static DateTimeOffset Whole(DateTimeOffset value) => Shopify.ShopifySeed.Whole(value);
}
