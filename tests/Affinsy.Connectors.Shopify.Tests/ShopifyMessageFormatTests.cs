using System.Security.Cryptography;
using System.Text;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// The <c>shopify</c> message format this connector registers for message sources (a Kafka topic of order webhooks):
/// its keys bind as the <c>shopify</c> source's do, and a payload becomes the order that source would send. Through a
/// broker it is tested in the Kafka connector's <c>StoreFormatTests</c>.
/// </summary>
public sealed class ShopifyMessageFormatTests
{
    // Payloads in the REST order shape an orders/* webhook delivers (shopify.dev, REST Admin API "Order" resource);
    // the expected values are worked out by hand from them, not by calling the mapper.
    private const string Order1001 = """
        {"id": 1001, "name": "#1001", "email": "ann@example.com", "created_at": "2026-01-10T10:00:00-05:00",
         "processed_at": "2026-01-10T10:05:00-05:00", "updated_at": "2026-01-10T11:00:00-05:00", "cancelled_at": null,
         "test": false, "currency": "USD", "customer": {"id": 501},
         "line_items": [
           {"title": "Tea", "variant_title": "Large", "sku": "TEA-L", "quantity": 2, "current_quantity": 2, "price": "10.00", "total_discount": "2.00"},
           {"title": "Mug", "variant_title": null, "sku": "MUG", "quantity": 1, "current_quantity": 1, "price": "7.50", "total_discount": "0.00"}]}
        """;

    // An orders/* webhook payload in the REST order shape (shopify.dev, REST Admin API "Order" resource), amounts as
    // strings; worked out by hand: Tea paid (2 x 10.00 - 2.00 order-level allocation) / 2 = 9.00, list 10.00.
    private const string DiscountedTea = """
        {"id": 2001, "name": "#2001", "processed_at": "2026-01-10T10:05:00-05:00", "test": false, "customer": {"id": 501},
         "line_items": [{"title": "Tea", "quantity": 2, "current_quantity": 2, "price": "10.00", "total_discount": "0.00",
                         "discount_allocations": [{"amount": "2.00"}]}]}
        """;

    private const string TestOrder = """
        {"id": 1003, "name": "#1003", "test": true, "customer": {"id": 502},
         "line_items": [{"title": "Tea", "quantity": 1, "price": "10.00", "total_discount": "0.00"}]}
        """;

    private const string Cancelled = """
        {"id": 1004, "name": "#1004", "cancelled_at": "2026-01-12T00:00:00Z", "test": false, "customer": {"id": 503},
         "line_items": [{"title": "Tea", "quantity": 1, "price": "10.00", "total_discount": "0.00"}]}
        """;

    [Fact]
    public void AddShopifySource_registers_the_shopify_message_format() =>
        Assert.Equal(["shopify"], new SourceRegistry().AddShopifySource().MessageFormats.Names);

    [Fact]
    public void The_format_binds_the_shopify_sources_mapping_options_from_the_message_sources_section()
    {
        var decoder = Bind("""
            include_test_orders: true
            include_cancelled: true
            product_name: sku
            customer_id: email_hash
            """);

        Assert.Equal(
            new ShopifyMappingOptions
            {
                IncludeTestOrders = true,
                IncludeCancelled = true,
                ProductName = ShopifyProductName.Sku,
                CustomerId = ShopifyCustomerId.EmailHash,
            },
            decoder.Mapping);
    }

    [Fact]
    public void A_bad_option_is_reported_at_its_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("product_name: variant"));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("pipelines[0].source.product_name", problem.Path);
        Assert.Contains("'variant' is not allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_and_cancelled_orders_are_skipped_by_default_not_refused()
    {
        var decoder = Bind(string.Empty);

        Assert.Equal(SkipReason.Test, decoder.Decode(Utf8(TestOrder)).Skipped);
        Assert.Equal(SkipReason.Cancelled, decoder.Decode(Utf8(Cancelled)).Skipped);
        Assert.Equal("1001", decoder.Decode(Utf8(Order1001)).Draft?.OrderId);
    }

    [Fact]
    public void Options_include_test_and_cancelled_orders_and_name_products_by_variant()
    {
        var decoder = new ShopifyMessageDecoder(new ShopifyMappingOptions
        {
            IncludeTestOrders = true,
            IncludeCancelled = true,
            ProductName = ShopifyProductName.TitleVariant,
            CustomerId = ShopifyCustomerId.EmailHash,
        });

        var orders = new[] { Order1001, TestOrder, Cancelled }.Select(p => Normalize(decoder.Decode(Utf8(p)))).ToList();

        Assert.Equal(["1001", "1003", "1004"], orders.Select(o => o.OrderId));
        var first = orders[0];
        Assert.Equal(Sha256Hex("ann@example.com"), first.CustomerId); // email_hash wins over the customer id
        Assert.Equal(["Tea - Large", "Mug"], first.LineItems.Select(l => l.ProductName));
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 15, 5, 0, TimeSpan.Zero), first.OrderDate); // processed_at, in UTC
    }

    [Theory]
    [InlineData("", "empty message; expected one JSON object in Shopify's REST order shape")]
    [InlineData("<html>not a payload</html>", "not a valid JSON message: ")]
    [InlineData("""{"name": "#1", "line_items": []}""", "no order id; expected one JSON object")]
    public void A_payload_that_is_not_an_order_is_a_problem_saying_what_was_expected(string payload, string reason)
    {
        var decoded = new ShopifyMessageDecoder(new ShopifyMappingOptions()).Decode(Utf8(payload));

        Assert.Null(decoded.Draft);
        Assert.StartsWith(reason, decoded.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 9.00)]
    [InlineData("price: paid", 9.00)]
    [InlineData("price: list", 10.00)]
    public void A_message_source_section_may_choose_the_price_sent(string keys, double price)
    {
        var decoder = Bind(keys);

        var order = OrderNormalizer.Normalize(decoder.Decode(Utf8(DiscountedTea)).Draft!).Order!;

        Assert.Equal((decimal)price, Assert.Single(order.LineItems).UnitPrice);
    }

    [Fact]
    public void Price_is_one_of_the_formats_keys_and_a_wrong_value_is_reported_at_it()
    {
        Assert.True(new SourceRegistry().AddShopifySource().MessageFormats.TryGet("shopify", out var format));
        Assert.Contains("price", format.Keys);

        var e = Assert.Throws<ConfigurationException>(() => Bind("price: net"));
        Assert.Equal("pipelines[0].source.price", Assert.Single(e.Problems).Path);
    }

    /// <summary>
    /// Binds the format from a source section the way a message source does (a stand-in source type here): the section
    /// takes the source's own keys plus the format's <see cref="IOrderMessageFormat.Keys"/> and refuses any other, as
    /// the Kafka source does.
    /// </summary>
    private static ShopifyMessageDecoder Bind(string keys)
    {
        IOrderMessageDecoder? decoder = null;
        var registry = new SourceRegistry().AddShopifySource();
        Assert.True(registry.MessageFormats.TryGet("shopify", out var format));
        registry.Add("messages", section =>
        {
            section.RejectUnknownKeys(["type", .. format.Keys]);
            decoder = format.Bind(section);
            return _ => throw new NotSupportedException("binding only");
        });
        var source = "type: messages\n" + keys;
        ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: shop\n    dataset_id: shop\n    source:\n" + string.Join('\n', source.Split('\n').Select(l => "      " + l)),
            "test.yaml", Path.GetTempPath(), registry, _ => null);
        return Assert.IsType<ShopifyMessageDecoder>(decoder);
    }

    private static Order Normalize(DecodedMessage decoded) => OrderNormalizer.Normalize(decoded.Draft!).Order!;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
