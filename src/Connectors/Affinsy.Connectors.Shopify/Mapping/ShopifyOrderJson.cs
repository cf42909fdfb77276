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
            // REST has no per-unit discounted price: the line's own discount spread over its units.
            decimal? discounted = line.Price is { } price && line.TotalDiscount is { } discount && line.Quantity > 0
                ? Math.Round(price - (discount / line.Quantity), 6, MidpointRounding.ToEven)
                : null;
            lines.Add(new ShopifyLineItem(line.Title, line.VariantTitle, line.Sku, line.Quantity,
                line.CurrentQuantity ?? line.Quantity, discounted, line.Price));
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

    internal static ShopifyLineItem FromGraphQL(GqlLineItem line) =>
        new(line.Title, line.VariantTitle, line.Sku, line.Quantity, line.CurrentQuantity ?? line.Quantity,
            line.DiscountedUnitPriceSet?.ShopMoney?.Amount, line.OriginalUnitPriceSet?.ShopMoney?.Amount);
}
