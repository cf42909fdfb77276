using System.Globalization;
using System.Text;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Testing;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>How <see cref="OrderSpill"/> keeps pass 2's memory bounded when Shopify's objectCount says nothing.</summary>
public sealed class SpillBoundsTests
{
    [Theory]
    [InlineData(0L, 0L, OrderSpill.MaxPartitions)] // neither reported: the most partitions, not one
    [InlineData(0L, 40_000_000L, 10)] // 40 MB at 200 bytes a line: 200,000 lines
    [InlineData(50_000L, 0L, 3)] // objectCount alone, as before
    [InlineData(50_000L, 40_000_000L, 3)] // a reported objectCount is exact and decides
    [InlineData(400_000L, 1_000L, 20)]
    [InlineData(0L, 1_000L, 1)] // fileSize alone: a small result, one partition
    [InlineData(0L, 5_000_000_000_000L, OrderSpill.MaxPartitions)]
    public void Partitions_follow_the_larger_of_objectCount_and_fileSize(long objectCount, long fileSize, int partitions) =>
        Assert.Equal(partitions, OrderSpill.PartitionsFor(objectCount, fileSize));

    [Fact]
    public void A_result_reported_with_objectCount_0_but_a_large_fileSize_is_reassembled_whole_from_many_partitions()
    {
        // 600 orders, each with 1 to 4 line items, ungrouped as since 2026-01: some lines before their order, some after.
        var lines = new List<string>();
        for (var order = 1; order <= 600; order++)
        {
            var items = Enumerable.Range(1, (order % 4) + 1).Select(i => Item(order, i)).ToList();
            lines.AddRange(order % 2 == 0 ? [.. items, Order(order)] : [Order(order), .. items]);
        }

        // A fixed scatter (7,919 is prime to the line count): orders and their items far apart.
        var shuffled = lines.Select((l, i) => (Line: l, At: i * 7_919L % lines.Count)).OrderBy(p => p.At).Select(p => p.Line).ToList();
        using var scratch = new TempDirectory();
        using var spill = new OrderSpill(scratch.Path, OrderSpill.PartitionsFor(0, 4_000_000_000));
        for (var i = 0; i < shuffled.Count; i++)
        {
            spill.Add(Encoding.UTF8.GetBytes(shuffled[i]), i + 1);
        }

        spill.Complete();

        Assert.Equal(OrderSpill.MaxPartitions, spill.Partitions);
        Assert.True(Directory.GetFiles(spill.Location).Length > 100);
        var builder = new BatchBuilder(new ShopifyMappingOptions(), new SkipCounter());
        var parser = new BulkResultParser(builder, "op-1");
        var units = new SpilledOrders(spill);
        while (units.MoveNext())
        {
            units.Feed(parser);
        }

        var batch = builder.Take(null).Normalize();
        Assert.Empty(batch.Refusals);
        Assert.Equal(600, batch.Orders.Count);
        Assert.All(batch.Orders, o =>
        {
            var order = int.Parse(o.OrderId, CultureInfo.InvariantCulture);
            var expected = Enumerable.Range(1, (order % 4) + 1).Select(i => $"P{order}-{i}:{i}").ToList();
            Assert.Equal(expected, o.LineItems.Select(l => $"{l.ProductName}:{l.Quantity}").Order(StringComparer.Ordinal).ToList());
        });
    }

    [Fact]
    public void A_partition_over_2_GB_fails_saying_why_instead_of_overflowing()
    {
        Assert.Equal(1_000, OrderSpill.Loadable("7.part", 1_000));
        var e = Assert.Throws<ShopifyApiException>(() => OrderSpill.Loadable("7.part", 3L * 1024 * 1024 * 1024));
        Assert.Contains("too large to reassemble", e.Message, StringComparison.Ordinal);
        Assert.Contains("3221225472 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("start_date", e.Message, StringComparison.Ordinal);
    }

    private static string Order(int id) =>
        $$"""{"id":"gid://shopify/Order/{{id}}","name":"#{{id}}","createdAt":"2025-03-01T10:00:00Z","updatedAt":"2025-03-01T10:00:00Z","currencyCode":"USD","customer":null}""";

    private static string Item(int order, int item) =>
        $$$"""{"id":"gid:\/\/shopify\/LineItem\/{{{order}}}0{{{item}}}","title":"P{{{order}}}-{{{item}}}","quantity":{{{item}}},"currentQuantity":{{{item}}},"originalUnitPriceSet":{"shopMoney":{"amount":"5.0"}},"__parentId":"gid:\/\/shopify\/Order\/{{{order}}}"}""";
}
