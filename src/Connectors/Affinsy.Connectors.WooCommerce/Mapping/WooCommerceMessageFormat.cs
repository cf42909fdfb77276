using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// <c>format: woocommerce</c> for message sources (a Kafka topic): each message is a WooCommerce order as the REST API
/// (v3) and the <c>order.*</c> webhooks send it. It exists so such a topic lands as the <c>woocommerce</c> source would
/// send the same orders, through this connector's own parser and mapper, while the message source knows nothing of
/// WooCommerce. Keys: <c>statuses</c>, <c>product_name</c>, <c>customer_id</c>, with the source's names and defaults.
/// </summary>
internal sealed class WooCommerceMessageFormat : IOrderMessageFormat
{
    public const string FormatName = "woocommerce";

    private static readonly string[] FormatKeys = ["statuses", "product_name", "customer_id"];

    /// <summary>Statuses that can be chosen (the never-sold ones are always skipped).</summary>
    private static readonly string[] Choosable = ["any", "pending", "processing", "on-hold", "completed"];

    public string Name => FormatName;

    public IReadOnlyList<string> Keys => FormatKeys;

    public IOrderMessageDecoder Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var mapping = new WooCommerceMapping
        {
            ProductName = section.GetChoice("product_name", "name", "name", "sku") == "sku" ? ProductNameField.Sku : ProductNameField.Name,
            CustomerId = section.GetChoice("customer_id", "customer", "customer", "email_hash") == "email_hash"
                ? CustomerIdField.EmailHash
                : CustomerIdField.Customer,
        };
        return new WooCommerceMessageDecoder(mapping, Statuses(section));
    }

    private static IReadOnlyList<string> Statuses(ConfigSection section)
    {
        if (!section.Has("statuses"))
        {
            return WooCommerceSourceOptions.DefaultStatuses;
        }

        var statuses = section.GetStringList("statuses");
        foreach (var status in statuses)
        {
            if (!Choosable.Contains(status, StringComparer.Ordinal))
            {
                section.Report("statuses", WooCommerceOrderMapper.SkippedStatuses.Contains(status)
                    ? $"'{status}' orders are never sent to Affinsy (they were not sold); remove it."
                    : $"'{status}' is not a WooCommerce order status that can be sent (use {string.Join(", ", Choosable)}).");
            }
        }

        if (statuses.Count == 0)
        {
            section.Report("statuses", "list at least one status (default: processing, completed, on-hold).");
        }

        return statuses;
    }
}

/// <summary>
/// One order payload to one order. Orders whose status is not in <c>statuses</c> (default processing, completed,
/// on-hold) are skipped, as are statuses that were never sold (cancelled, refunded, failed...). A payload carries
/// refund summaries but not the refunded quantities, so partial refunds are not taken off here (the
/// <c>woocommerce</c> source reads them with an extra request per order). Holds nothing between messages.
/// </summary>
internal sealed class WooCommerceMessageDecoder(WooCommerceMapping mapping, IReadOnlyList<string> statuses) : IOrderMessageDecoder
{
    private const string Expected = "in WooCommerce's REST order shape (id, status, line_items[name, quantity, total])";
    private readonly HashSet<string>? sent = statuses.Contains("any") ? null : new HashSet<string>(statuses, StringComparer.Ordinal);

    public WooCommerceMapping Mapping => mapping;

    public IReadOnlyList<string> Statuses => statuses;

    public DecodedMessage Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return DecodedMessage.Empty(Expected);
        }

        WooOrder order;
        try
        {
            order = WooCommerceOrderJson.Parse(value);
        }
        catch (JsonException e)
        {
            return DecodedMessage.NotJson(e, Expected);
        }

        if (order.Id <= 0)
        {
            return DecodedMessage.Refused($"no order id; expected one JSON object {Expected}");
        }

        if ((sent is not null && (order.Status is null || !sent.Contains(order.Status))) || WooCommerceOrderMapper.IsSkipped(order))
        {
            return DecodedMessage.Skip(WooCommerceOrderMapper.SkipReasonOf(order.Status));
        }

        return WooCommerceOrderMapper.ToDraft(order, [], mapping) is { } draft ? DecodedMessage.Order(draft) : default;
    }
}
