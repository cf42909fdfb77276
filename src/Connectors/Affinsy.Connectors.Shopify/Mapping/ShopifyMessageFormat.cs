using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// <c>format: shopify</c> for message sources (a Kafka topic): each message is a Shopify order webhook payload
/// (<c>orders/create</c>, <c>orders/updated</c>, ...: the REST order JSON). It exists so a topic of Shopify webhooks
/// lands exactly as the <c>shopify</c> source would send the same orders, through this connector's own parser and
/// mapper, while the message source knows nothing of Shopify. It takes the mapping options the <c>shopify</c> source
/// takes, with the same names and defaults, <c>price</c> (paid | list) included.
/// </summary>
internal sealed class ShopifyMessageFormat : IOrderMessageFormat
{
    public const string FormatName = "shopify";

    private static readonly string[] FormatKeys = ["include_test_orders", "include_cancelled", "product_name", "customer_id", "price"];

    public string Name => FormatName;

    public IReadOnlyList<string> Keys => FormatKeys;

    public IOrderMessageDecoder Bind(ConfigSection section) => new ShopifyMessageDecoder(ShopifyMappingOptions.Bind(section));
}

/// <summary>
/// One webhook payload to one order. Cancelled and test orders are skipped unless the options include them (a skip is
/// configuration, not a problem: counted by reason, nothing is dead-lettered). A later message for the same order is
/// a newer version of it. Holds nothing between messages.
/// </summary>
internal sealed class ShopifyMessageDecoder(ShopifyMappingOptions mapping) : IOrderMessageDecoder
{
    private const string Expected = "in Shopify's REST order shape (id, line_items[title, price, quantity], as orders/* webhooks deliver it)";

    public ShopifyMappingOptions Mapping => mapping;

    public DecodedMessage Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return DecodedMessage.Empty(Expected);
        }

        ShopifyOrder order;
        try
        {
            order = ShopifyOrderJson.ParseRest(value);
        }
        catch (JsonException e)
        {
            return DecodedMessage.NotJson(e, Expected);
        }

        if (order.Id is "0")
        {
            return DecodedMessage.Refused($"no order id; expected one JSON object {Expected}");
        }

        var mapped = ShopifyOrderMapper.Map(order, mapping);
        return mapped.Draft is { } draft ? DecodedMessage.Order(draft)
            : mapped.Reason is { } reason ? DecodedMessage.Skip(reason)
            : default;
    }
}
