using System.Text;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// REST orders (pages and webhooks) whose ids are JSON strings: shopify.dev's REST "Order" resource examples print ids
/// as numbers, but ids may come as strings (SOURCES.md, "ids may be numbers or strings"); both must read the same.
/// </summary>
public sealed class RestStringIdTests
{
    // The shape and values of the REST Order resource's documented example order (as summarised in SOURCES.md): one
    // "IPod Nano - 8GB" at "199.00" with a 17.91 order-level discount allocation, amounts as strings, dates with offsets.
    private const string Template = """
        {"id": ID_ORDER, "name": "#1001", "email": "bob.norman@mail.example.com",
         "created_at": "2008-01-10T11:00:00-05:00", "processed_at": "2008-01-10T11:00:00-05:00",
         "updated_at": "2008-01-10T11:00:00-05:00", "cancelled_at": null, "test": false, "currency": "USD",
         "customer": {"id": ID_CUSTOMER, "email": "bob.norman@mail.example.com"},
         "line_items": [{"id": ID_LINE, "product_id": ID_PRODUCT, "variant_id": ID_VARIANT, "title": "IPod Nano - 8GB",
                         "variant_title": "green", "sku": "IPOD2008GREEN", "quantity": 1, "current_quantity": 1,
                         "price": "199.00", "total_discount": "0.00",
                         "discount_allocations": [{"amount": "17.91", "discount_application_index": 0}]}]}
        """;

    private static readonly string Numbers = Ids(quoted: false);
    private static readonly string Strings = Ids(quoted: true);

    [Fact]
    public void A_webhook_payload_with_string_ids_parses_exactly_like_one_with_numbers()
    {
        var fromNumbers = ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(Numbers));
        var fromStrings = ShopifyOrderJson.ParseRest(Encoding.UTF8.GetBytes(Strings));

        AssertSame(fromNumbers, fromStrings);
        Assert.Equal(("450789469", "207119551"), (fromStrings.Id, fromStrings.CustomerId));
        var line = Assert.Single(fromStrings.Lines);
        Assert.Equal((199.00m, 17.91m), (line.OriginalUnitPrice, line.DiscountAllocated));
        var order = OrderNormalizer.Normalize(ShopifyOrderMapper.Map(fromStrings, new ShopifyMappingOptions()).Draft!).Order!;
        Assert.Equal(("450789469", "207119551"), (order.OrderId, order.CustomerId));
        Assert.Equal(181.09m, Assert.Single(order.LineItems).UnitPrice);
    }

    [Fact]
    public void A_rest_page_with_string_ids_reads_exactly_like_one_with_numbers()
    {
        // As ShopifyClient.RestOrdersAsync reads a page, then as the source maps each order.
        static ShopifyOrder Read(string order) => ShopifyOrderJson.FromRest(Assert.Single(
            JsonSerializer.Deserialize("{\"orders\": [" + order + "]}", RestJsonContext.Default.RestOrdersPage)!.Orders!));

        var fromNumbers = Read(Numbers);
        var fromStrings = Read(Strings);

        AssertSame(fromNumbers, fromStrings);
        Assert.Equal("450789469", fromStrings.Id);
    }

    private static void AssertSame(ShopifyOrder expected, ShopifyOrder actual)
    {
        Assert.Equal(expected with { Lines = [] }, actual with { Lines = [] });
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Null(Assert.Single(actual.Lines).Problem);
    }

    private static string Ids(bool quoted)
    {
        string Id(string value) => quoted ? $"\"{value}\"" : value;
        return Template.Replace("ID_ORDER", Id("450789469"), StringComparison.Ordinal)
            .Replace("ID_CUSTOMER", Id("207119551"), StringComparison.Ordinal)
            .Replace("ID_LINE", Id("466157049"), StringComparison.Ordinal)
            .Replace("ID_PRODUCT", Id("632910392"), StringComparison.Ordinal)
            .Replace("ID_VARIANT", Id("39072856"), StringComparison.Ordinal);
    }
}
