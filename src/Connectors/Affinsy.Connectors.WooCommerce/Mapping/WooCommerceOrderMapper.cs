using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// Turns a parsed WooCommerce order (and its refund objects) into an <see cref="OrderDraft"/>. Shared by the
/// REST source and any other reader of WooCommerce order JSON (a Kafka topic of webhook payloads, say).
/// </summary>
public static class WooCommerceOrderMapper
{
    /// <summary>Statuses whose orders were never sold (or were taken back whole); they are not sent.</summary>
    public static readonly IReadOnlySet<string> SkippedStatuses =
        new HashSet<string>(["cancelled", "refunded", "failed", "trash", "checkout-draft"], StringComparer.Ordinal);

    // wc_format_decimal writes "-12.50": no thousands separators, so "3,00" is a broken amount, not 300.
    private const NumberStyles Money = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Parses one order as the REST API (or an order webhook) sends it.</summary>
    public static WooOrder? ParseOrder(string json) => JsonSerializer.Deserialize(json, WooJsonContext.Default.WooOrder);

    /// <summary>True when the order's status means it is not sent.</summary>
    public static bool IsSkipped(WooOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Status is { } status && SkippedStatuses.Contains(status);
    }

    /// <summary>
    /// Why an order of <paramref name="status"/> is skipped: <c>cancelled</c> and <c>refunded</c> as such, every other
    /// status that was never a sale (failed, trash, checkout-draft, or one a Kafka <c>statuses</c> list leaves out) as
    /// <see cref="SkipReason.StatusNotSold"/>.
    /// </summary>
    public static SkipReason SkipReasonOf(string? status) => status switch
    {
        "cancelled" => SkipReason.Cancelled,
        "refunded" => SkipReason.Refunded,
        _ => SkipReason.StatusNotSold,
    };

    /// <summary>
    /// The draft for <paramref name="order"/>, or null when its status is skipped. <paramref name="refunds"/> are the
    /// order's refund objects (empty when its <c>refunds</c> summary is empty); each refunded quantity is taken off
    /// its line. A problem (unparsable date, negative quantity left) is recorded on the draft for the normalizer.
    /// </summary>
    public static OrderDraft? ToDraft(WooOrder order, IReadOnlyList<WooRefund> refunds, WooCommerceMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(refunds);
        ArgumentNullException.ThrowIfNull(mapping);
        if (IsSkipped(order))
        {
            return null;
        }

        if (order.ReadProblem is { } problem)
        {
            var unreadable = new OrderDraft(order.Id > 0 ? order.Id.ToString(CultureInfo.InvariantCulture) : null) { Source = mapping.Source };
            unreadable.Refuse(problem);
            return unreadable;
        }

        var draft = new OrderDraft(order.Id.ToString(CultureInfo.InvariantCulture))
        {
            DisplayName = order.Number,
            Currency = string.IsNullOrEmpty(order.Currency) ? null : order.Currency,
            Source = mapping.Source,
            CustomerId = CustomerOf(order, mapping.CustomerId),
        };

        if (ParseGmt(order.DateModifiedGmt) is { } modified)
        {
            draft.SourceUpdatedAt = modified;
        }

        var placed = order.DatePaidGmt is { Length: > 0 } ? order.DatePaidGmt : order.DateCreatedGmt;
        if (placed is { Length: > 0 })
        {
            if (ParseGmt(placed) is { } date)
            {
                draft.OrderDate = date;
            }
            else
            {
                draft.Refuse(OrderRules.UnparsableDate(placed, "yyyy-MM-ddTHH:mm:ss (GMT)"));
            }
        }

        var lines = order.LineItems ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            AddLine(draft, lines[i], i, refunds, mapping.ProductName);
        }

        return draft;
    }

    /// <summary>
    /// The line total (after discounts) over the ordered quantity: the price actually paid per unit, exact in decimal.
    /// <c>price</c> is a PHP float in the JSON and is only the fallback when the total is missing or the quantity is zero.
    /// </summary>
    public static decimal UnitPrice(WooLineItem line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Quantity > 0
            && decimal.TryParse(line.Total, Money, CultureInfo.InvariantCulture, out var total)
            && total >= 0)
        {
            return total / line.Quantity;
        }

        return line.Price is { } price && price >= 0 ? price : 0m;
    }

    // A line the store got wrong refuses its order with a reason naming the line, before the normalizer's general rules.
    private static void AddLine(OrderDraft draft, WooLineItem line, int index, IReadOnlyList<WooRefund> refunds, ProductNameField field)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"line_items[{index}] (id {line.Id}, product {line.ProductId})");
        var name = ProductName(line, field);
        if (string.IsNullOrWhiteSpace(name))
        {
            draft.Refuse($"{where} has no name: name it in WooCommerce (the product may have been deleted), or use product_name: sku");
            return;
        }

        if (line.Quantity < 0)
        {
            draft.Refuse(string.Create(CultureInfo.InvariantCulture, $"{where} '{name}' has a negative quantity {line.Quantity}: WooCommerce records returns as refunds, so the order was written wrongly; fix it in WooCommerce"));
            return;
        }

        if (!string.IsNullOrEmpty(line.Total) && !decimal.TryParse(line.Total, Money, CultureInfo.InvariantCulture, out _))
        {
            draft.Refuse($"{where} '{name}' has a total '{line.Total}' that is not a decimal amount; fix the order (or the plugin that writes it) in WooCommerce");
            return;
        }

        var quantity = line.Quantity - RefundedQuantity(line, refunds);
        if (quantity < 0)
        {
            draft.Refuse(string.Create(CultureInfo.InvariantCulture, $"{where}: refunds take back {line.Quantity - quantity} of {line.Quantity}"));
            return;
        }

        draft.AddLine(name, UnitPrice(line), quantity);
    }

    /// <summary>Lower-case hex SHA-256 of the trimmed, lower-cased e-mail; null when there is none.</summary>
    public static string? EmailHash(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A WooCommerce <c>*_gmt</c> date (no offset) as UTC; null when absent or unparsable.</summary>
    public static DateTimeOffset? ParseGmt(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private static string? CustomerOf(WooOrder order, CustomerIdField field) =>
        field == CustomerIdField.Customer && order.CustomerId > 0
            ? order.CustomerId.ToString(CultureInfo.InvariantCulture)
            : EmailHash(order.Billing?.Email);

    // Entities decoded in both: a SKU typed with '&' in wp-admin is stored as '&amp;' too.
    private static string? ProductName(WooLineItem line, ProductNameField field) =>
        HtmlEntities.Decode(field == ProductNameField.Sku && !string.IsNullOrWhiteSpace(line.Sku) ? line.Sku : line.Name);

    private static decimal RefundedQuantity(WooLineItem line, IReadOnlyList<WooRefund> refunds)
    {
        var refunded = 0m;
        foreach (var refund in refunds)
        {
            foreach (var refundLine in refund.LineItems ?? [])
            {
                if (Refunds(refundLine, line))
                {
                    refunded += Math.Abs(refundLine.Quantity);
                }
            }
        }

        return refunded;
    }

    // A refund line names the order line it refunds in _refunded_item_id; without it (older stores, some
    // plugins), the product and variation identify the line, as an order rarely repeats a variation.
    private static bool Refunds(WooRefundLineItem refundLine, WooLineItem line)
    {
        if (RefundedItemId(refundLine) is { } itemId)
        {
            return itemId == line.Id;
        }

        return refundLine.ProductId == line.ProductId && refundLine.VariationId == line.VariationId;
    }

    private static long? RefundedItemId(WooRefundLineItem refundLine)
    {
        foreach (var meta in refundLine.MetaData ?? [])
        {
            if (meta.Key != "_refunded_item_id")
            {
                continue;
            }

            return meta.Value.ValueKind switch
            {
                JsonValueKind.Number when meta.Value.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(meta.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
                _ => null,
            };
        }

        return null;
    }
}
