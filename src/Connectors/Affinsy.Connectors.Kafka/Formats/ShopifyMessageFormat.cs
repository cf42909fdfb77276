using System.Text.Json;
using Affinsy.Connectors.Shopify.Mapping;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// <c>format: shopify</c>: each message is a Shopify order webhook payload (<c>orders/create</c>, <c>orders/updated</c>,
/// ...: the REST order JSON). Parsed and mapped by the Shopify connector's own code, so an order lands exactly as the
/// <c>shopify</c> source would send it. Cancelled and test orders are skipped unless the options include them (a skip
/// is configuration, not a problem: it is counted by reason, nothing is dead-lettered). A later message for the same order is a newer version.
/// </summary>
internal sealed class ShopifyMessageFormat(ShopifyMappingOptions mapping) : StatelessMessageFormat
{
    private const string Expected = "in Shopify's REST order shape (id, line_items[title, price, quantity], as orders/* webhooks deliver it)";

    public override void Accept(KafkaRecord record, IFormatOutput output)
    {
        if (record.Value is not { Length: > 0 } value)
        {
            output.Problem($"empty message; expected one JSON object {Expected}", record, null);
            return;
        }

        ShopifyOrder order;
        try
        {
            order = ShopifyOrderJson.ParseRest(value);
        }
        catch (JsonException e)
        {
            output.Problem(MessageFields.NotJson(e, Expected), record, null);
            return;
        }

        if (order.Id is "0")
        {
            output.Problem($"no order id; expected one JSON object {Expected}", record, null);
            return;
        }

        var mapped = ShopifyOrderMapper.Map(order, mapping);
        if (mapped.Draft is { } draft)
        {
            MessageFields.Deliver(draft, record, output);
        }
        else if (mapped.Reason is { } reason)
        {
            output.Skipped(reason);
        }
    }
}
