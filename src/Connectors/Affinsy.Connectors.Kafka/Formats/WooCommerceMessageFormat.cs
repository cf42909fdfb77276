using System.Text.Json;
using Affinsy.Connectors.WooCommerce.Mapping;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// <c>format: woocommerce</c>: each message is a WooCommerce order as the REST API (v3) and the <c>order.*</c> webhooks
/// send it, parsed and mapped by the WooCommerce connector's own code. Orders whose status is not in <c>statuses</c>
/// (default processing, completed, on-hold) are skipped, as are statuses that were never sold (cancelled, refunded,
/// failed...). A payload carries refund summaries but not the refunded quantities, so partial refunds are not taken
/// off here (the <c>woocommerce</c> source reads them with an extra request per order).
/// </summary>
internal sealed class WooCommerceMessageFormat(WooCommerceMapping mapping, IReadOnlyList<string> statuses) : StatelessMessageFormat
{
    private const string Expected = "in WooCommerce's REST order shape (id, status, line_items[name, quantity, total])";
    private readonly HashSet<string>? statuses = statuses.Contains("any") ? null : new HashSet<string>(statuses, StringComparer.Ordinal);

    public override void Accept(KafkaRecord record, IFormatOutput output)
    {
        if (record.Value is not { Length: > 0 } value)
        {
            output.Problem($"empty message; expected one JSON object {Expected}", record, null);
            return;
        }

        WooOrder order;
        try
        {
            order = WooCommerceOrderJson.Parse(value);
        }
        catch (JsonException e)
        {
            output.Problem(MessageFields.NotJson(e, Expected), record, null);
            return;
        }

        if (order.Id <= 0)
        {
            output.Problem($"no order id; expected one JSON object {Expected}", record, null);
            return;
        }

        if ((statuses is not null && (order.Status is null || !statuses.Contains(order.Status))) || WooCommerceOrderMapper.IsSkipped(order))
        {
            output.Skipped(WooCommerceOrderMapper.SkipReasonOf(order.Status));
            return;
        }

        if (WooCommerceOrderMapper.ToDraft(order, [], mapping) is { } draft)
        {
            MessageFields.Deliver(draft, record, output);
        }
    }
}
