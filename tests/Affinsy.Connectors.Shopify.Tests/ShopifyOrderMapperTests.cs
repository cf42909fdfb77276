using System.Text;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class ShopifyOrderMapperTests
{
    // A webhook / REST order: a registered customer, a refunded unit, a removed line, two variants of one product.
    private const string RestOrder = """
        {"id": 450789469, "name": "#1001", "created_at": "2025-03-01T10:00:00-05:00", "processed_at": "2025-03-01T09:59:00-05:00",
         "updated_at": "2025-03-02T08:00:00Z", "cancelled_at": null, "test": false, "currency": "EUR", "email": "Bob@Example.com",
         "customer": {"id": 207119551},
         "line_items": [
           {"title": "Hoodie", "variant_title": "Red / M", "sku": "H-RM", "quantity": 3, "current_quantity": 2, "price": "40.00", "total_discount": "6.00"},
           {"title": "Hoodie", "variant_title": "Blue / L", "sku": "H-BL", "quantity": 1, "current_quantity": 1, "price": "40.00", "total_discount": "0.00"},
           {"title": "Mug", "variant_title": null, "sku": null, "quantity": 2, "current_quantity": 0, "price": "9.50", "total_discount": "0.00"}
         ]}
        """;

    private const string GraphQLNode = """
        {"id": "gid://shopify/Order/5001", "name": "#2001", "createdAt": "2025-04-01T12:00:00Z", "processedAt": null,
         "updatedAt": "2025-04-02T12:00:00Z", "cancelledAt": null, "test": false, "currencyCode": "USD", "email": "Guest@Example.com",
         "customer": null,
         "lineItems": {"edges": [
           {"node": {"title": "Cap", "variantTitle": "Default Title", "sku": "C-1", "quantity": 2, "currentQuantity": 2,
                     "originalUnitPriceSet": {"shopMoney": {"amount": "20.0", "currencyCode": "USD"}},
                     "discountedUnitPriceSet": {"shopMoney": {"amount": "15.5", "currencyCode": "USD"}}}},
           {"node": {"title": "Socks", "variantTitle": null, "sku": null, "quantity": 1, "currentQuantity": 1,
                     "originalUnitPriceSet": {"shopMoney": {"amount": "4.00", "currencyCode": "USD"}},
                     "discountedUnitPriceSet": null}}
         ]}}
        """;

    private static Order Normalized(ShopifyOrder order, ShopifyMappingOptions? options = null)
    {
        var mapped = ShopifyOrderMapper.Map(order, options ?? new ShopifyMappingOptions());
        Assert.Equal(ShopifySkip.None, mapped.Skipped);
        var result = OrderNormalizer.Normalize(mapped.Draft!);
        Assert.Null(result.RefusalReason);
        return result.Order!;
    }

    [Fact]
    public void Rest_order_uses_current_quantity_discounted_price_and_merges_variants_under_the_title()
    {
        var order = Normalized(ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(RestOrder)));

        Assert.Equal("450789469", order.OrderId);
        Assert.Equal("#1001", order.DisplayName);
        Assert.Equal("207119551", order.CustomerId);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 14, 59, 0, TimeSpan.Zero), order.OrderDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 2, 8, 0, 0, TimeSpan.Zero), order.SourceUpdatedAt);
        Assert.Equal("EUR", order.Currency);
        // Hoodie: 2 left at 38.00 (40 - 6/3) + 1 at 40.00 → 3 at the weighted 38.666667; the removed mug is gone.
        var line = Assert.Single(order.LineItems);
        Assert.Equal("Hoodie", line.ProductName);
        Assert.Equal(3m, line.Quantity);
        Assert.Equal(38.666667m, line.UnitPrice);
    }

    [Fact]
    public void GraphQL_node_takes_the_numeric_id_hashes_a_guest_email_and_falls_back_to_the_original_price()
    {
        var order = Normalized(ShopifyOrderJson.ParseGraphQL(Encoding.UTF8.GetBytes(GraphQLNode)));

        Assert.Equal("5001", order.OrderId);
        Assert.Equal(ShopifyOrderMapper.EmailHash("guest@example.com"), order.CustomerId);
        Assert.Equal(64, order.CustomerId!.Length);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 12, 0, 0, TimeSpan.Zero), order.OrderDate);
        Assert.Equal([new LineItem("Cap", 15.5m, 2), new LineItem("Socks", 4.00m, 1)], order.LineItems);
    }

    [Fact]
    public void Product_name_and_customer_rules_follow_the_options()
    {
        var parsed = ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(RestOrder));

        var byVariant = Normalized(parsed, new ShopifyMappingOptions { ProductName = ShopifyProductName.TitleVariant, CustomerId = ShopifyCustomerId.EmailHash });
        var bySku = Normalized(parsed, new ShopifyMappingOptions { ProductName = ShopifyProductName.Sku });

        Assert.Equal(["Hoodie - Red / M", "Hoodie - Blue / L"], byVariant.LineItems.Select(l => l.ProductName));
        Assert.Equal(ShopifyOrderMapper.EmailHash("bob@example.com"), byVariant.CustomerId);
        Assert.Equal(["H-RM", "H-BL"], bySku.LineItems.Select(l => l.ProductName));
    }

    [Fact]
    public void Cancelled_test_and_fully_refunded_orders_are_skipped_unless_configured()
    {
        var parsed = ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(RestOrder));
        var cancelled = parsed with { CancelledAt = DateTimeOffset.UnixEpoch };
        var test = parsed with { Test = true };
        var refunded = parsed with { Lines = [.. parsed.Lines.Select(l => l with { CurrentQuantity = 0 })] };
        var defaults = new ShopifyMappingOptions();

        Assert.Equal(ShopifySkip.Cancelled, ShopifyOrderMapper.Map(cancelled, defaults).Skipped);
        Assert.Equal(ShopifySkip.Test, ShopifyOrderMapper.Map(test, defaults).Skipped);
        Assert.Equal(ShopifySkip.NothingLeft, ShopifyOrderMapper.Map(refunded, defaults).Skipped);
        Assert.NotNull(ShopifyOrderMapper.Map(cancelled, defaults with { IncludeCancelled = true }).Draft);
        Assert.NotNull(ShopifyOrderMapper.Map(test, defaults with { IncludeTestOrders = true }).Draft);
    }

    [Fact]
    public void A_guest_without_email_has_no_customer()
    {
        var parsed = ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(RestOrder)) with { CustomerId = null, Email = null };

        Assert.Null(Normalized(parsed).CustomerId);
    }

    [Theory]
    [InlineData("gid://shopify/Order/123", "123")]
    [InlineData("gid://shopify/Customer/42?foo=1", "42")]
    [InlineData("789", "789")]
    public void Numeric_id_is_the_tail_of_the_gid(string gid, string expected) =>
        Assert.Equal(expected, ShopifyOrderMapper.NumericId(gid));
}
