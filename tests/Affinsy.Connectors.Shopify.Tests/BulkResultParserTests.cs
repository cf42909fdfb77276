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
        Assert.Collection(batch.Orders,
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
    public async Task A_line_item_that_does_not_follow_its_order_fails_naming_the_line()
    {
        var misplaced = Export.Replace("\"__parentId\":\"gid://shopify/Order/12\"", "\"__parentId\":\"gid://shopify/Order/11\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() => ParseAsync(misplaced, readSize: 4096));

        Assert.Contains("line 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("gid://shopify/Order/11 does not follow its order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_that_is_not_json_fails_naming_the_line()
    {
        var broken = Export.Replace("\"quantity\":2,", "\"quantity\":two,", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() => ParseAsync(broken, readSize: 4096));

        Assert.Contains("line 6 is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_that_cannot_be_sent_is_refused_with_its_original_line_and_position()
    {
        var noPrice = Export.Replace("\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"20\",\"currencyCode\":\"EUR\"}}", "\"originalUnitPriceSet\":null", StringComparison.Ordinal);

        var batch = await ParseAsync(noPrice, readSize: 4096);

        Assert.Equal(["11"], batch.Orders.Select(o => o.OrderId));
        var refusal = Assert.Single(batch.Refusals);
        Assert.Equal("12", refusal.OrderId);
        Assert.Contains("has no unit price", refusal.Reason, StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":\"gid://shopify/Order/12\"", refusal.OriginalRecord, StringComparison.Ordinal);
        Assert.EndsWith("\"customer\":null}", refusal.OriginalRecord, StringComparison.Ordinal);
        Assert.Equal("bulk operation op-1, order before line 7", refusal.Position);
    }

    private static async Task<OrderBatch> ParseAsync(string jsonl, int readSize)
    {
        var builder = new BatchBuilder(new ShopifyMappingOptions(), new SkipCounter());
        var parser = new BulkResultParser(builder, "op-1");
        using var lines = new JsonlLines(new TrickleStream(Encoding.UTF8.GetBytes(jsonl), readSize));
        long lineNumber = 0;
        while (await lines.FillAsync(TestContext.Current.CancellationToken))
        {
            while (lines.TryTakeLine(out var line))
            {
                lineNumber++;
                if (!line.IsEmpty)
                {
                    parser.Line(line, lineNumber);
                }
            }
        }

        parser.Finish(lineNumber + 1);
        return builder.Take(null);
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(readSize, buffer.Length)], cancellationToken);
    }
}
