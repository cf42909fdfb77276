using System.Globalization;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;

namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// Parses Shopify order JSON into <see cref="ShopifyOrder"/>: a GraphQL order node, or a REST order (the
/// same snake_case document Shopify's <c>orders/*</c> webhooks deliver).
/// </summary>
public static class ShopifyOrderJson
{
    /// <summary>A REST / webhook order document.</summary>
    /// <exception cref="JsonException">The text is not an order document.</exception>
    public static ShopifyOrder ParseRest(ReadOnlySpan<byte> utf8Json)
    {
        var order = JsonSerializer.Deserialize(utf8Json, RestJsonContext.Default.RestOrder)
            ?? throw new JsonException("expected a Shopify order object, got null");
        return FromRest(order);
    }

    /// <summary>A GraphQL order node (with <c>lineItems { edges { node } }</c>).</summary>
    /// <exception cref="JsonException">The text is not an order node.</exception>
    public static ShopifyOrder ParseGraphQL(ReadOnlySpan<byte> utf8Json)
    {
        var order = JsonSerializer.Deserialize(utf8Json, GraphQLJsonContext.Default.GqlOrder)
            ?? throw new JsonException("expected a Shopify order node, got null");
        return FromGraphQL(order, null);
    }

    internal static ShopifyOrder FromRest(RestOrder order)
    {
        var lines = new List<ShopifyLineItem>(order.LineItems?.Count ?? 0);
        foreach (var line in order.LineItems ?? [])
        {
            string? problem = null;
            var price = AmountText.Parse(line.Price, "price", ref problem);
            var lineDiscount = AmountText.Parse(line.TotalDiscount, "total_discount", ref problem);
            decimal? allocated = null;
            foreach (var allocation in line.DiscountAllocations ?? [])
            {
                allocated = (allocated ?? 0) + (AmountText.Parse(allocation.Amount, "discount_allocations.amount", ref problem) ?? 0);
            }

            // total_discount is the line's own discounts only; discount_allocations (when sent) also carry order-level ones.
            decimal? discounted = price is { } p && lineDiscount is { } d && line.Quantity > 0
                ? Math.Round(p - (d / line.Quantity), 6, MidpointRounding.ToEven)
                : null;
            lines.Add(new ShopifyLineItem(line.Title, line.VariantTitle, line.Sku, line.Quantity,
                line.CurrentQuantity ?? line.Quantity, discounted, price, line.DiscountAllocations is null ? null : allocated ?? 0, problem));
        }

        return new ShopifyOrder(
            order.Id.ToString(CultureInfo.InvariantCulture), order.Name, order.CreatedAt, order.ProcessedAt, order.UpdatedAt,
            order.CancelledAt, order.Test ?? false, order.Currency,
            order.Customer?.Id?.ToString(CultureInfo.InvariantCulture), order.Email, lines);
    }

    internal static ShopifyOrder FromGraphQL(GqlOrder order, List<ShopifyLineItem>? bulkChildren)
    {
        var lines = bulkChildren ?? new List<ShopifyLineItem>(order.LineItems?.Edges?.Count ?? 0);
        if (bulkChildren is null)
        {
            foreach (var edge in order.LineItems?.Edges ?? [])
            {
                if (edge.Node is { } node)
                {
                    lines.Add(FromGraphQL(node));
                }
            }
        }

        return new ShopifyOrder(
            ShopifyOrderMapper.NumericId(order.Id ?? string.Empty), order.Name, order.CreatedAt, order.ProcessedAt, order.UpdatedAt,
            order.CancelledAt, order.Test, order.CurrencyCode,
            order.Customer?.Id is { } customer ? ShopifyOrderMapper.NumericId(customer) : null, order.Email, lines);
    }

    internal static ShopifyLineItem FromGraphQL(GqlLineItem line)
    {
        string? problem = null;
        var discounted = AmountText.Parse(line.DiscountedUnitPriceSet?.ShopMoney?.Amount, "discountedUnitPriceSet", ref problem);
        var original = AmountText.Parse(line.OriginalUnitPriceSet?.ShopMoney?.Amount, "originalUnitPriceSet", ref problem);
        decimal? allocated = line.DiscountAllocations is null ? null : 0m;
        foreach (var allocation in line.DiscountAllocations ?? [])
        {
            allocated += AmountText.Parse(allocation.AllocatedAmountSet?.ShopMoney?.Amount, "discountAllocations.allocatedAmountSet", ref problem) ?? 0;
        }

        return new(line.Title, line.VariantTitle, line.Sku, line.Quantity, line.CurrentQuantity ?? line.Quantity, discounted, original, allocated, problem);
    }
}
