using System.Text;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary><c>price</c> (paid | list) on the <c>shopify</c> message format, as on the source: a topic of webhooks can send list prices.</summary>
public sealed class MessageFormatPriceTests
{
    // An orders/* webhook payload in the REST order shape (shopify.dev, REST Admin API "Order" resource), amounts as
    // strings; worked out by hand: Tea paid (2 x 10.00 - 2.00 order-level allocation) / 2 = 9.00, list 10.00.
    private const string Payload = """
        {"id": 2001, "name": "#2001", "processed_at": "2026-01-10T10:05:00-05:00", "test": false, "customer": {"id": 501},
         "line_items": [{"title": "Tea", "quantity": 2, "current_quantity": 2, "price": "10.00", "total_discount": "0.00",
                         "discount_allocations": [{"amount": "2.00"}]}]}
        """;

    [Theory]
    [InlineData("", 9.00)]
    [InlineData("price: paid", 9.00)]
    [InlineData("price: list", 10.00)]
    public void A_message_source_section_may_choose_the_price_sent(string keys, double price)
    {
        var decoder = Bind(keys);

        var order = OrderNormalizer.Normalize(decoder.Decode(Encoding.UTF8.GetBytes(Payload)).Draft!).Order!;

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
    /// Binds the format the way a message source does: its section takes the source's own keys plus the format's
    /// <see cref="IOrderMessageFormat.Keys"/> and refuses any other (as the Kafka source does).
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
}
