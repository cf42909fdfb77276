using Affinsy.Core.Orders;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Sink.Tests;

public sealed class OrderFingerprintTests
{
    private static readonly DateTimeOffset Date = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static Order Sample(params LineItem[] lines) =>
        new("o-1", "c-1", Date, "EUR", lines.Length == 0 ? [new("Tea", 2.5m, 1), new LineItem("Cup", 4m, 2)] : lines);

    [Fact]
    public void The_same_content_hashes_the_same_whatever_the_line_order_and_the_fields_not_sent()
    {
        var order = Sample();
        var reordered = Sample(new LineItem("Cup", 4m, 2), new LineItem("Tea", 2.5m, 1)) with
        {
            Currency = "USD", Source = "csv", DisplayName = "#1", SourceUpdatedAt = Date.AddDays(3),
        };

        Assert.Equal(OrderFingerprint.Of(order), OrderFingerprint.Of(reordered));
        Assert.Equal(OrderFingerprint.Of(order), OrderFingerprint.Of(order with { OrderDate = Date.ToOffset(TimeSpan.FromHours(2)) }));
    }

    [Fact]
    public void Every_field_the_api_receives_changes_the_hash()
    {
        var order = Sample();
        Order[] changed =
        [
            order with { OrderId = "o-2" },
            order with { CustomerId = null },
            order with { CustomerId = "c-2" },
            order with { OrderDate = null },
            order with { OrderDate = Date.AddSeconds(1) },
            Sample(new LineItem("Tea", 2.5m, 1)),
            Sample(new LineItem("Tea", 2.5m, 1), new LineItem("Cup", 4m, 3)),
            Sample(new LineItem("Tea", 2.51m, 1), new LineItem("Cup", 4m, 2)),
            Sample(new LineItem("Tea", 2.50m, 1), new LineItem("Cup", 4m, 2)), // the JSON says 2.50, not 2.5
            Sample(new LineItem("Tea ", 2.5m, 1), new LineItem("Cup", 4m, 2)),
            Sample(new LineItem("Tea", 2.5m, 1), new LineItem("Cup", 4m, 2), new LineItem("Pot", 0m, 1)),
        ];

        var hashes = changed.Select(OrderFingerprint.Of).Append(OrderFingerprint.Of(order)).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void Field_boundaries_are_part_of_the_hash()
    {
        var a = new Order("ab", "c", null, null, [new("x", 1m, 1)]);
        var b = new Order("a", "bc", null, null, [new("x", 1m, 1)]);

        Assert.NotEqual(OrderFingerprint.Of(a), OrderFingerprint.Of(b));
    }
}
