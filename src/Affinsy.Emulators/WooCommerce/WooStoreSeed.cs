using System.Globalization;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>
/// A deterministic store: registered customers and guests (some without an e-mail), every status, discounts,
/// partial refunds with their refund objects (some without the line reference), orders modified after
/// creation, runs of orders sharing one modified second (to exercise paging boundaries), product names stored with
/// and without HTML entities, a deleted product (<c>sku</c> null) and shipping lines.
/// </summary>
public static class WooStoreSeed
{
    public static readonly DateTime Start = new(2025, 1, 6, 8, 0, 0, DateTimeKind.Utc);

    private static readonly (string Status, int Weight)[] StatusWeights =
    [
        ("completed", 50), ("processing", 18), ("on-hold", 8), ("pending", 5), ("cancelled", 5),
        ("refunded", 5), ("failed", 4), ("trash", 3), ("checkout-draft", 2),
    ];

    public static List<EmulatedOrder> Generate(int orders, int seed = 7)
    {
        var random = new Random(seed);
        var result = new List<EmulatedOrder>(orders);
        var created = Start;
        long nextLineId = 1_000_000;
        long nextRefundId = 5_000_000;
        for (var i = 0; i < orders; i++)
        {
            // Every eighth order shares its predecessor's second: bulk imports and busy shops do that.
            if (i % 8 != 7)
            {
                created = created.AddSeconds(random.Next(30, 900));
            }

            var status = PickStatus(random);
            var id = 100 + i;
            var registered = random.Next(100) < 65;
            var order = new EmulatedOrder
            {
                Id = id,
                Number = string.Create(CultureInfo.InvariantCulture, $"WC-{id}"),
                Status = status,
                CustomerId = registered ? random.Next(1, 80) : 0,
                CreatedGmt = created,
                ModifiedGmt = created,
            };
            order.Email = registered
                ? string.Create(CultureInfo.InvariantCulture, $"customer{order.CustomerId}@example.com")
                : random.Next(100) < 90 ? string.Create(CultureInfo.InvariantCulture, $" Guest{random.Next(1, 50)}@Example.COM") : string.Empty;
            if (status is "processing" or "completed" or "on-hold" or "refunded")
            {
                order.PaidGmt = created.AddMinutes(random.Next(0, 30));
            }

            AddLines(order, random, ref nextLineId);

            // Flat-rate shipping on most orders: a shipping line, never a product.
            order.Shipping = id % 4 == 0 ? 0m : 4.95m;
            if (status == "refunded")
            {
                AddRefund(order, random, ref nextRefundId, ref nextLineId, whole: true);
            }
            else if (status is "completed" or "processing" && order.Lines.Count > 1 && random.Next(100) < 20)
            {
                AddRefund(order, random, ref nextRefundId, ref nextLineId, whole: false);
            }

            if (random.Next(100) < 30)
            {
                order.ModifiedGmt = created.AddSeconds(random.Next(60, 3 * 24 * 3600));
            }

            result.Add(order);
        }

        return result;
    }

    private static string PickStatus(Random random)
    {
        var roll = random.Next(StatusWeights.Sum(s => s.Weight));
        foreach (var (status, weight) in StatusWeights)
        {
            if (roll < weight)
            {
                return status;
            }

            roll -= weight;
        }

        return "completed";
    }

    private static void AddLines(EmulatedOrder order, Random random, ref long nextLineId)
    {
        var count = random.Next(1, 6);
        var discounted = random.Next(100) < 25;
        var products = Enumerable.Range(1, 40).OrderBy(_ => random.Next()).Take(count);
        foreach (var product in products)
        {
            var quantity = random.Next(1, 5);
            var price = ProductPrice(product);
            var subtotal = price * quantity;
            var lineId = nextLineId++;
            order.Lines.Add(new EmulatedLine
            {
                Id = lineId,
                Name = ProductName(product),
                StoredName = StoredName(product, lineId),
                ProductId = product,
                VariationId = product % 5 == 0 ? 10_000 + product : 0,
                Sku = product == DeletedProduct ? null : product % 3 == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"SKU-{product:000}"),
                Quantity = quantity,
                Subtotal = subtotal,
                Total = discounted ? Math.Round(subtotal * 0.85m, 2) : subtotal,
            });
        }
    }

    private static void AddRefund(EmulatedOrder order, Random random, ref long nextRefundId, ref long nextLineId, bool whole)
    {
        var refund = new EmulatedRefund
        {
            Id = nextRefundId++,
            CreatedGmt = order.CreatedGmt.AddHours(random.Next(1, 48)),
            Reason = whole ? "Order refunded" : "Damaged",
            WithItemReference = random.Next(3) != 0,
        };
        var lines = whole ? order.Lines : [order.Lines[random.Next(order.Lines.Count)]];
        foreach (var line in lines)
        {
            var quantity = whole ? line.Quantity : random.Next(1, (int)line.Quantity + 1);
            refund.Lines.Add(new EmulatedRefundLine
            {
                Id = nextLineId++,
                RefundedItemId = line.Id,
                Name = line.Name,
                ProductId = line.ProductId,
                VariationId = line.VariationId,
                Quantity = -quantity,
                Total = -Math.Round(line.Total / line.Quantity * quantity, 2),
            });
        }

        order.Refunds.Add(refund);
    }

    /// <summary>A product deleted from the catalogue: its lines keep their name, and the API sends <c>"sku": null</c>.</summary>
    public const int DeletedProduct = 33;

    /// <summary>Products whose name has characters WordPress stores as HTML entities, in the forms stores hold them.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> EntityForms = new Dictionary<int, string[]>
    {
        // The REST docs' "Retrieve an order" example names a variation "Ship Your Idea &ndash; Color: Black, Size: M Test".
        [7] = ["Ship Your Idea \u2013 Color: Black", "Ship Your Idea &ndash; Color: Black", "Ship Your Idea &#8211; Color: Black"],
        [12] = ["Tea & Biscuits", "Tea &amp; Biscuits", "Tea &#038; Biscuits"],
        [21] = ["Nan\u2019s Jam", "Nan&#8217;s Jam", "Nan&#x2019;s Jam"],
    };

    public static string ProductName(int product) =>
        EntityForms.TryGetValue(product, out var forms) ? forms[0] : string.Create(CultureInfo.InvariantCulture, $"Product {product:00}");

    // Which form a line was saved with depends on the theme or import that wrote it: all three occur in one store.
    private static string? StoredName(int product, long lineId) =>
        EntityForms.TryGetValue(product, out var forms) ? forms[(int)(lineId % forms.Length)] : null;

    public static decimal ProductPrice(int product) => 1.5m + (product * 1.25m);
}
