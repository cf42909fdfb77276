namespace Affinsy.Emulators.Shopify;

/// <summary>
/// A deterministic store: registered customers, guests with only an email, guests with nothing, multi-line orders,
/// variants of one product in one order, line discounts, order-level discounts allocated to lines, removals and refunds (currentQuantity below quantity,
/// some lines and whole orders down to 0), cancellations, test orders, imported orders (processedAt before
/// createdAt) and orders updated well after creation. Times are whole seconds, as Shopify reports them.
/// </summary>
public static class ShopifySeed
{
    private static readonly string[] Products =
    [
        "Classic Tee", "Hoodie", "Beanie", "Socks", "Tote Bag", "Mug", "Water Bottle", "Cap", "Scarf", "Gloves",
        "Notebook", "Pen Set", "Poster", "Sticker Pack", "Phone Case", "Keychain", "Candle", "Blanket", "Pillow", "Apron",
    ];

    private static readonly string?[] Variants = [null, "Red / S", "Red / M", "Blue / M", "Blue / L", "Default Title"];

    /// <summary>Orders 1001.. created over the year before <paramref name="now"/>, the last updated an hour before it.</summary>
    public static List<EmulatedOrder> Generate(int count, DateTimeOffset now, int seed = 7)
    {
        // Every draw from random happens in a fixed order, so a seed always yields the same store.
        var random = new Random(seed);
        var orders = new List<EmulatedOrder>(count);
        var first = now.AddDays(-365);
        var spacing = TimeSpan.FromTicks((now.AddHours(-2) - first).Ticks / Math.Max(1, count));
        long lineId = 5_000_000;
        for (var i = 0; i < count; i++)
        {
            var created = Whole(first + (spacing * i));
            var processed = random.Next(20) == 0 ? created.AddDays(-3) : created;
            var updated = created.AddSeconds(random.Next(0, 60));
            if (random.Next(5) == 0)
            {
                // Edited, refunded or fulfilled later, but never after the newest order's creation.
                var room = Math.Max(0, (long)(now.AddHours(-1) - updated).TotalSeconds);
                updated = updated.AddSeconds(random.NextInt64(0, Math.Min(room, 14L * 86_400) + 1));
            }

            var (customer, email) = Buyer(random);
            var lines = Lines(random, ref lineId);
            var cancelled = random.Next(25) == 0 ? updated : (DateTimeOffset?)null;
            orders.Add(new EmulatedOrder(1_001 + i, $"#{1_001 + i}", created, processed, updated, cancelled,
                random.Next(33) == 0, "EUR", customer, email, lines));
        }

        return orders;
    }

    /// <summary>A registered customer (six in ten), a guest with only an email (three in ten) or a guest with nothing.</summary>
    private static (long? Customer, string? Email) Buyer(Random random)
    {
        switch (random.Next(10))
        {
            case < 6:
                long customer = 7_000 + random.Next(150);
                return (customer, $"Customer{customer}@Example.com");
            case < 9:
                return (null, $"guest{random.Next(300)}@example.com");
            default:
                return (null, null);
        }
    }

    private static List<EmulatedLine> Lines(Random random, ref long lineId)
    {
        var lines = new List<EmulatedLine>();
        var lineCount = random.Next(1, 6);
        for (var l = 0; l < lineCount; l++)
        {
            var product = random.Next(Products.Length);
            var variant = random.Next(Variants.Length);
            var original = Math.Round(5m + (random.Next(0, 9_000) / 100m), 2);
            var discounted = random.Next(4) == 0 ? Math.Round(original * 0.9m, 2) : original;
            var quantity = random.Next(1, 4);
            var current = random.Next(10) switch
            {
                0 => 0,
                1 => Math.Max(0, quantity - 1),
                _ => quantity,
            };
            lines.Add(new EmulatedLine(lineId++, Products[product], Variants[variant],
                variant == 0 ? null : $"SKU-{product:D2}-{variant}", quantity, current, original, discounted));
        }

        if (random.Next(5) == 0)
        {
            // An order-level discount code (10% off the order), allocated to the lines in proportion to what they cost.
            lines = [.. lines.Select(x => x with { OrderDiscount = Math.Round(x.DiscountedPrice * x.Quantity * 0.1m, 2) })];
        }

        if (random.Next(40) == 0)
        {
            // Fully refunded: every line down to zero.
            lines = [.. lines.Select(x => x with { CurrentQuantity = 0 })];
        }

        return lines;
    }

    /// <summary>Truncates to whole seconds.</summary>
    public static DateTimeOffset Whole(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);
}
