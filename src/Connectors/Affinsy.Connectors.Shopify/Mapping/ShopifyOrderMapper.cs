using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// Maps a <see cref="ShopifyOrder"/> to an <see cref="OrderDraft"/> with the documented rules (see the README):
/// quantity is <c>currentQuantity</c>, price the discounted shop-currency unit price, date processedAt.
/// Public so a Kafka <c>shopify</c> format can reuse it on webhook payloads (<see cref="ShopifyOrderJson.ParseRest"/>).
/// </summary>
public static class ShopifyOrderMapper
{
    /// <summary>The <c>Source</c> recorded on mapped orders.</summary>
    public const string SourceType = "shopify";

    /// <summary>Maps one order; skipped orders come back with a reason and no draft.</summary>
    public static ShopifyMapping Map(ShopifyOrder order, ShopifyMappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(options);
        if (order.CancelledAt is not null && !options.IncludeCancelled)
        {
            return new ShopifyMapping(null, ShopifySkip.Cancelled);
        }

        if (order.Test && !options.IncludeTestOrders)
        {
            return new ShopifyMapping(null, ShopifySkip.Test);
        }

        var draft = new OrderDraft(order.Id)
        {
            CustomerId = CustomerOf(order, options.CustomerId),
            OrderDate = order.ProcessedAt ?? order.CreatedAt,
            Currency = order.Currency,
            Source = SourceType,
            SourceUpdatedAt = order.UpdatedAt,
            DisplayName = order.Name,
        };
        var remaining = 0;
        foreach (var line in order.Lines)
        {
            // Removed and fully refunded lines were not bought; the normalizer would drop them anyway.
            if (line.CurrentQuantity <= 0)
            {
                continue;
            }

            remaining++;
            var price = line.DiscountedUnitPrice ?? line.OriginalUnitPrice;
            if (price is null)
            {
                draft.Refuse($"line item '{line.Title}' of Shopify order {order.Name ?? order.Id} has no unit price (neither discountedUnitPriceSet nor originalUnitPriceSet)");
                continue;
            }

            draft.AddLine(ProductNameOf(line, options.ProductName), price.Value, line.CurrentQuantity);
        }

        return remaining == 0 && draft.Problem is null
            ? new ShopifyMapping(null, ShopifySkip.NothingLeft)
            : new ShopifyMapping(draft, ShopifySkip.None);
    }

    /// <summary>The numeric id at the end of a Shopify gid (<c>gid://shopify/Order/123</c> → "123"); other text is kept.</summary>
    public static string NumericId(string gid)
    {
        ArgumentNullException.ThrowIfNull(gid);
        var slash = gid.LastIndexOf('/');
        var tail = slash < 0 ? gid : gid[(slash + 1)..];
        var query = tail.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? tail : tail[..query];
    }

    /// <summary>Lower-case hex SHA-256 of the trimmed, lower-cased email.</summary>
    public static string EmailHash(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
        return Convert.ToHexStringLower(bytes);
    }

    private static string? CustomerOf(ShopifyOrder order, ShopifyCustomerId rule)
    {
        // The hash is only computed when it is the answer: SHA-256 per order is a measurable share of a bulk export.
        var customer = string.IsNullOrWhiteSpace(order.CustomerId) ? null : order.CustomerId;
        var hasEmail = !string.IsNullOrWhiteSpace(order.Email);
        return rule == ShopifyCustomerId.EmailHash
            ? (hasEmail ? EmailHash(order.Email!) : customer)
            : customer ?? (hasEmail ? EmailHash(order.Email!) : null);
    }

    private static string? ProductNameOf(ShopifyLineItem line, ShopifyProductName rule) => rule switch
    {
        ShopifyProductName.TitleVariant when !string.IsNullOrWhiteSpace(line.VariantTitle) =>
            string.Create(CultureInfo.InvariantCulture, $"{line.Title} - {line.VariantTitle}"),
        ShopifyProductName.Sku when !string.IsNullOrWhiteSpace(line.Sku) => line.Sku,
        _ => line.Title,
    };
}
