using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// Maps a <see cref="ShopifyOrder"/> to an <see cref="OrderDraft"/> with the documented rules (see the README):
/// quantity is <c>currentQuantity</c>, price the shop-currency unit price actually paid (see <see cref="UnitPrice"/>), date processedAt.
/// The <c>shopify</c> message format uses it on webhook payloads too (<see cref="ShopifyMessageFormat"/>).
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
        if (order.Lines.Count == 0)
        {
            draft.Refuse($"Shopify order {order.Name ?? order.Id} has no line items");
        }

        var remaining = 0;
        foreach (var line in order.Lines)
        {
            if (AddLine(draft, order, line, options))
            {
                remaining++;
            }
        }

        return remaining == 0 && draft.Problem is null
            ? new ShopifyMapping(null, ShopifySkip.NothingLeft)
            : new ShopifyMapping(draft, ShopifySkip.None);
    }

    /// <summary>Adds a line still bought (or refuses the order for it); true when the line counts as remaining.</summary>
    private static bool AddLine(OrderDraft draft, ShopifyOrder order, ShopifyLineItem line, ShopifyMappingOptions options)
    {
        if (line.Problem is { } problem)
        {
            draft.Refuse($"line item '{line.Title}' of Shopify order {order.Name ?? order.Id}: {problem}");
            return false;
        }

        if (line.Quantity < 0 || line.CurrentQuantity < 0)
        {
            draft.Refuse(string.Create(CultureInfo.InvariantCulture,
                $"line item '{line.Title}' of Shopify order {order.Name ?? order.Id} has a negative quantity ({line.Quantity}, current {line.CurrentQuantity})"));
            return false;
        }

        // Removed and fully refunded lines were not bought; the normalizer would drop them anyway.
        if (line.CurrentQuantity == 0)
        {
            return false;
        }

        if (UnitPrice(line, options.Price, out var why) is not { } price)
        {
            draft.Refuse($"line item '{line.Title}' of Shopify order {order.Name ?? order.Id} {why}");
            return true;
        }

        draft.AddLine(ProductNameOf(line, options.ProductName), price, line.CurrentQuantity);
        return true;
    }

    /// <summary>
    /// The unit price sent for a line. <c>paid</c>: (original x quantity - allocations) / quantity rounded to cents
    /// (midpoint away from zero), since the allocations cover every unit originally ordered and include order-level
    /// discounts, which <c>discountedUnitPriceSet</c> leaves out; without allocations in the payload, the discounted
    /// unit price, else the original. <c>list</c>: the original, else the discounted.
    /// </summary>
    public static decimal? UnitPrice(ShopifyLineItem line, ShopifyPrice rule, out string? why)
    {
        ArgumentNullException.ThrowIfNull(line);
        why = null;
        if (rule == ShopifyPrice.List)
        {
            return line.OriginalUnitPrice ?? line.DiscountedUnitPrice ?? NoPrice(out why);
        }

        if (line.DiscountAllocated is { } allocated && line.OriginalUnitPrice is { } original && line.Quantity > 0)
        {
            var paid = Math.Round(((original * line.Quantity) - allocated) / line.Quantity, 2, MidpointRounding.AwayFromZero);
            if (paid < 0)
            {
                why = string.Create(CultureInfo.InvariantCulture, $"has discount allocations ({allocated}) above its price ({original} x {line.Quantity})");
                return null;
            }

            return paid;
        }

        return line.DiscountedUnitPrice ?? line.OriginalUnitPrice ?? NoPrice(out why);
    }

    private static decimal? NoPrice(out string why)
    {
        why = "has no unit price (neither originalUnitPriceSet nor discountedUnitPriceSet)";
        return null;
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
