using System.Text;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class BulkResultParserTests
{
    // Two orders as a bulk export writes them: the order line, then its line items with __parentId; CRLF endings,
    // JSON escapes, a blank line, unknown fields and no newline after the last line.
    private static readonly string Export = string.Join("\r\n",
        """{"id":"gid://shopify/Order/11","name":"#1001","createdAt":"2025-03-01T10:00:00Z","processedAt":"2025-03-01T09:00:00-02:00","updatedAt":"2025-03-02T08:00:00Z","cancelledAt":null,"test":false,"currencyCode":"EUR","email":"Bob@Example.com","customer":{"id":"gid://shopify/Customer/7"},"unknown":{"nested":[1,2]}}""",
        """{"id":"gid://shopify/LineItem/1","title":"Caf\u00e9 \"Mug\"","variantTitle":null,"sku":"M-1","quantity":3,"currentQuantity":2,"originalUnitPriceSet":{"shopMoney":{"amount":"10.00","currencyCode":"EUR"}},"discountedUnitPriceSet":{"shopMoney":{"amount":"9.50","currencyCode":"EUR"}},"__parentId":"gid://shopify/Order/11"}""",
        """{"id":"gid://shopify/LineItem/2","title":"Socks","variantTitle":"Red","sku":null,"quantity":1,"currentQuantity":0,"originalUnitPriceSet":{"shopMoney":{"amount":"4.00","currencyCode":"EUR"}},"discountedUnitPriceSet":null,"__parentId":"gid://shopify/Order/11"}""",
        "",
        """{"id":"gid://shopify/Order/12","name":"#1002","createdAt":"2025-03-03T10:00:00Z","processedAt":null,"updatedAt":"2025-03-03T11:00:00Z","cancelledAt":null,"test":false,"currencyCode":"EUR","email":null,"customer":null}""",
        """{"id":"gid://shopify/LineItem/3","title":"Cap","variantTitle":null,"sku":null,"quantity":2,"currentQuantity":null,"originalUnitPriceSet":{"shopMoney":{"amount":"20","currencyCode":"EUR"}},"discountedUnitPriceSet":null,"__parentId":"gid://shopify/Order/12"}""");

    [Fact]
    public async Task Lines_split_across_small_reads_become_the_same_orders_with_escapes_decoded()
    {
        var batch = await ParseAsync(Export, readSize: 7);

        Assert.Empty(batch.Refusals);
        Assert.Collection(batch.Orders.OrderBy(o => o.OrderId, StringComparer.Ordinal),
            first =>
            {
                Assert.Equal("11", first.OrderId);
                Assert.Equal("7", first.CustomerId);
                Assert.Equal(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero), first.OrderDate);
                Assert.Equal("#1001", first.DisplayName);
                Assert.Equal(new DateTimeOffset(2025, 3, 2, 8, 0, 0, TimeSpan.Zero), first.SourceUpdatedAt);
                var line = Assert.Single(first.LineItems);
                Assert.Equal("Café \"Mug\"", line.ProductName);
                Assert.Equal(9.50m, line.UnitPrice);
                Assert.Equal(2m, line.Quantity);
            },
            second =>
            {
                Assert.Equal("12", second.OrderId);
                Assert.Null(second.CustomerId);
                Assert.Equal(new DateTimeOffset(2025, 3, 3, 10, 0, 0, TimeSpan.Zero), second.OrderDate);
                var line = Assert.Single(second.LineItems);
                Assert.Equal(("Cap", 20m, 2m), (line.ProductName, line.UnitPrice, line.Quantity));
            });
    }

    [Fact]
    public async Task A_line_longer_than_the_read_buffer_comes_out_whole()
    {
        var longLine = "{\"pad\":\"" + new string('x', 700_000) + "\"}";
        using var lines = new JsonlLines(new MemoryStream(Encoding.UTF8.GetBytes(longLine + "\n{}\n")));
        var lengths = new List<int>();
        while (await lines.FillAsync(TestContext.Current.CancellationToken))
        {
            while (lines.TryTakeLine(out var line))
            {
                lengths.Add(line.Length);
            }
        }

        Assert.Equal([longLine.Length, 2], lengths);
    }

    [Fact]
    public async Task Ungrouped_line_items_before_and_after_their_order_with_escaped_gids_make_the_same_orders()
    {
        // groupObjects false (the default from 2026-01): line items anywhere in the file, slashes escaped as bulk files print them.
        var lines = Export.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0).ToList();
        var ungrouped = string.Join("\n", lines[4], lines[1], lines[3], lines[0], lines[2]).Replace("gid://shopify/", "gid:\\/\\/shopify\\/", StringComparison.Ordinal)
            .Replace("Order/", "Order\\/", StringComparison.Ordinal).Replace("Customer/", "Customer\\/", StringComparison.Ordinal);
        Assert.Contains("gid:\\/\\/shopify\\/Order\\/11", ungrouped, StringComparison.Ordinal);

        var grouped = await ParseAsync(Export, readSize: 4096);
        var batch = await ParseAsync(ungrouped, readSize: 5);

        Assert.Empty(batch.Refusals);
        Assert.Equal(Describe(grouped), Describe(batch));
        Assert.Equal("7", batch.Orders.Single(o => o.OrderId == "11").CustomerId);
    }

    [Fact]
    public async Task A_line_that_is_not_json_makes_the_result_unusable_naming_the_line()
    {
        var broken = Export.Replace("\"quantity\":2,", "\"quantity\":two,", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<BulkResultUnusableException>(() => ParseAsync(broken, readSize: 4096));

        Assert.Contains("line 6 is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_records_are_refused_with_their_reason_and_the_rest_are_read()
    {
        var bad = string.Join("\n",
            Order(21), Item(21, "\"title\":\"Mug\",\"quantity\":1,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"12,50\"}}"),
            Order(22), Item(22, "\"title\":null,\"quantity\":1,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"3.0\"}}"),
            Order(23), Item(23, "\"title\":\"Cap\",\"quantity\":-2,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"3.0\"}}"),
            Order(24),
            Item(99, "\"title\":\"Orphan\",\"quantity\":1"),
            Order(25), Item(25, "\"title\":\"Hat\",\"quantity\":1,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"8.0\"}}"));

        var batch = await ParseAsync(bad, readSize: 4096);

        Assert.Equal(["25"], batch.Orders.Select(o => o.OrderId));
        var reasons = batch.Refusals.ToDictionary(r => r.OrderId ?? "orphan", r => r.Reason);
        Assert.Contains("'12,50' is not a decimal number", reasons["21"], StringComparison.Ordinal);
        Assert.Contains("name", reasons["22"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("negative quantity", reasons["23"], StringComparison.Ordinal);
        Assert.Contains("has no line items", reasons["24"], StringComparison.Ordinal);
        Assert.Contains("order is missing from the result", reasons["orphan"], StringComparison.Ordinal);
        Assert.All(batch.Refusals, r => Assert.Contains("result line", r.Position, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_field_that_cannot_be_read_refuses_that_order_with_all_its_raw_lines_and_the_rest_are_read()
    {
        // The line item comes first (ungrouped output) and the order's bad date sits before fields still to be read:
        // pass 1 reads each line once, so the order must still be found whole and dead-lettered with both raw lines.
        var bad = string.Join("\n",
            Item(31, "\"title\":\"Mug\",\"quantity\":1,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"2.0\"}}"),
            """{"id":"gid://shopify/Order/31","createdAt":"yesterday","name":"#31","updatedAt":"2025-03-01T10:00:00Z","currencyCode":"USD","customer":null}""",
            Order(32), Item(32, "\"title\":\"Hat\",\"quantity\":2,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"8.25\"}}"));

        var batch = await ParseAsync(bad, readSize: 4096);

        var order = Assert.Single(batch.Orders);
        Assert.Equal(("32", "Hat", 8.25m, 2m), (order.OrderId, order.LineItems[0].ProductName, order.LineItems[0].UnitPrice, order.LineItems[0].Quantity));
        var refusal = Assert.Single(batch.Refusals);
        Assert.Contains("result line 2 could not be read", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("\"createdAt\":\"yesterday\"", refusal.OriginalRecord, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Mug\"", refusal.OriginalRecord, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_name_written_with_escapes_is_read_by_its_unescaped_name()
    {
        // JSON allows any character of a name as \uXXXX: "\u0074itle" is "title".
        var jsonl = Order(41) + "\n" + Item(41, "\"\\u0074itle\":\"Mug\",\"quantit\\u0079\":2,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"3.50\"}}");

        var batch = await ParseAsync(jsonl, readSize: 4096);

        Assert.Empty(batch.Refusals);
        var line = Assert.Single(Assert.Single(batch.Orders).LineItems);
        Assert.Equal(("Mug", 3.50m, 2m), (line.ProductName, line.UnitPrice, line.Quantity));
    }

    [Fact]
    public async Task An_order_level_discount_allocated_to_a_line_lowers_the_price_paid()
    {
        // shopify.dev REST "Order" example as summarised in SOURCES.md: a 199.00 item with a 17.91 order-level allocation was paid 181.09.
        var jsonl = string.Join("\n", Order(31), Item(31,
            "\"title\":\"IPod Nano - 8GB\",\"quantity\":1,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"199.0\"}},"
            + "\"discountedUnitPriceSet\":{\"shopMoney\":{\"amount\":\"199.0\"}},"
            + "\"discountAllocations\":[{\"allocatedAmountSet\":{\"shopMoney\":{\"amount\":\"17.91\",\"currencyCode\":\"USD\"}}}]"));

        var paid = await ParseAsync(jsonl, readSize: 4096);
        var list = await ParseAsync(jsonl, readSize: 4096, new ShopifyMappingOptions { Price = ShopifyPrice.List });

        Assert.Equal(181.09m, Assert.Single(Assert.Single(paid.Orders).LineItems).UnitPrice);
        Assert.Equal(199.00m, Assert.Single(Assert.Single(list.Orders).LineItems).UnitPrice);
    }

    private static string Order(long id) =>
        $$"""{"id":"gid://shopify/Order/{{id}}","name":"#{{id}}","createdAt":"2025-03-01T10:00:00Z","updatedAt":"2025-03-01T10:00:00Z","currencyCode":"USD","customer":null}""";

    private static string Item(long order, string fields) =>
        $$"""{"id":"gid://shopify/LineItem/{{order}}00",{{fields}},"__parentId":"gid://shopify/Order/{{order}}"}""";

    private static List<string> Describe(NormalizedBatch batch) =>
        [.. batch.Orders.Select(o => $"{o.OrderId}|{o.CustomerId}|{string.Join(",", o.LineItems.Select(l => $"{l.ProductName}:{l.UnitPrice}:{l.Quantity}"))}").Order(StringComparer.Ordinal)];

    /// <summary>What <see cref="BulkExport"/> does with a downloaded result: spill by order, then parse one whole order at a time.</summary>
    private static async Task<NormalizedBatch> ParseAsync(string jsonl, int readSize, ShopifyMappingOptions? mapping = null)
    {
        var builder = new BatchBuilder(mapping ?? new ShopifyMappingOptions(), new SkipCounter());
        var parser = new BulkResultParser(builder, "op-1");
        using var spill = new OrderSpill(50_000, Path.GetTempPath());
        using var lines = new JsonlLines(new TrickleStream(Encoding.UTF8.GetBytes(jsonl), readSize));
        long lineNumber = 0;
        while (await lines.FillAsync(TestContext.Current.CancellationToken))
        {
            while (lines.TryTakeLine(out var line))
            {
                lineNumber++;
                if (!line.IsEmpty)
                {
                    spill.Add(line, lineNumber);
                }
            }
        }

        spill.Complete();
        var units = new SpilledOrders(spill);
        while (units.MoveNext())
        {
            units.Feed(parser);
        }

        return builder.Take(null).Normalize();
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(readSize, buffer.Length)], cancellationToken);
    }
}
