using System.Globalization;

namespace Affinsy.Emulators.DemoStore;

/// <summary>
/// A realistic store for <c>emulate</c>: each order is a sale of the sample store (its basket, buyer and country, so
/// basket sizes, prices, repeat customers and the products bought together are the sample's), dated on the same month,
/// day and time within the year before today (seasons stay where they were: Christmas in December). A few orders are
/// cancelled, test, refunded or partly refunded. The same seed and count give the same store on the same day.
/// </summary>
public static class DemoStoreGenerator
{
    public const int DefaultOrders = 2_000;
    public const int DefaultSeed = 42;

    /// <summary>Shares of the orders that did not simply stand, from a small online shop's usual mix.</summary>
    private const double CancelledShare = 0.015, TestShare = 0.005, RefundedShare = 0.01, PartlyRefundedShare = 0.03;

    /// <summary>
    /// <paramref name="orders"/> orders numbered from 1001 in date order, the newest before the start of
    /// <paramref name="today"/> (UTC).
    /// </summary>
    public static IReadOnlyList<DemoOrder> Generate(int orders, int seed, DateTimeOffset today)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        var end = new DateTimeOffset(today.UtcDateTime.Date, TimeSpan.Zero);
        var sample = SampleBaskets.All;
        var random = new Random(seed);
        var drawn = new List<(DateTimeOffset At, SampleBasket Basket, int Draw)>(orders);
        for (var i = 0; i < orders; i++)
        {
            var basket = sample[random.Next(sample.Count)];
            drawn.Add((InLastYear(basket.Date, end).AddSeconds(random.Next(60)), basket, i));
        }

        drawn.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Draw.CompareTo(b.Draw));
        var result = new List<DemoOrder>(orders);
        foreach (var (at, basket, _) in drawn)
        {
            var number = 1_001 + result.Count;
            var email = basket.CustomerId is { } id
                ? string.Create(CultureInfo.InvariantCulture, $"customer{id}@example.com")
                : random.Next(10) < 8 ? string.Create(CultureInfo.InvariantCulture, $"guest{number}@example.com") : null;
            var kind = PickKind(random.NextDouble(), basket.Lines);
            var order = new DemoOrder(number, at, basket.CustomerId, email, basket.Country, kind, Refund(kind, basket.Lines, random));
            result.Add(kind == DemoOrderKind.Sale || kind == DemoOrderKind.Test ? order : order with { UpdatedAt = Later(at, end, random) });
        }

        return result;
    }

    private static DemoOrderKind PickKind(double roll, IReadOnlyList<DemoLine> lines) => roll switch
    {
        < CancelledShare => DemoOrderKind.Cancelled,
        < CancelledShare + TestShare => DemoOrderKind.Test,
        < CancelledShare + TestShare + RefundedShare => DemoOrderKind.Refunded,

        // A partial refund must leave something bought: two lines, or two units of one.
        < CancelledShare + TestShare + RefundedShare + PartlyRefundedShare when lines.Count > 1 || lines[0].Quantity > 1 => DemoOrderKind.PartlyRefunded,
        _ => DemoOrderKind.Sale,
    };

    private static IReadOnlyList<DemoLine> Refund(DemoOrderKind kind, IReadOnlyList<DemoLine> lines, Random random)
    {
        if (kind == DemoOrderKind.Refunded)
        {
            return [.. lines.Select(l => l with { RefundedQuantity = l.Quantity })];
        }

        if (kind != DemoOrderKind.PartlyRefunded)
        {
            return lines;
        }

        var refunded = random.Next(lines.Count);
        return [.. lines.Select((l, i) => i == refunded ? l with { RefundedQuantity = 1 } : l)];
    }

    /// <summary>The same month, day and time of day, in the year that puts it within the 365 days before <paramref name="end"/>.</summary>
    private static DateTimeOffset InLastYear(DateTime sampleDate, DateTimeOffset end)
    {
        var at = new DateTimeOffset(end.Year, sampleDate.Month, sampleDate.Day, sampleDate.Hour, sampleDate.Minute, 0, TimeSpan.Zero);
        return at < end ? at : at.AddYears(-1);
    }

    /// <summary>A refund or cancellation a few hours to a week after the sale, but never after <paramref name="end"/>.</summary>
    private static DateTimeOffset Later(DateTimeOffset at, DateTimeOffset end, Random random)
    {
        var later = at.AddHours(random.Next(2, 7 * 24));
        return later < end ? later : end.AddSeconds(-1);
    }
}
