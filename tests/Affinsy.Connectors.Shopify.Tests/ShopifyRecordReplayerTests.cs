using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>Reading a Shopify dead letter again with the current mapping (<c>dead-letters replay</c>).</summary>
public sealed class ShopifyRecordReplayerTests
{
    // Field names and shapes of the REST Admin API Order resource (shopify.dev/docs/api/admin-rest/latest/resources/order):
    // a line whose title is blank but whose SKU is set, so product_name: sku makes it sendable.
    private const string RestOrder = """
        {"id": 450789469, "name": "#1001", "created_at": "2025-03-01T10:00:00-05:00", "processed_at": "2025-03-01T09:59:00-05:00",
         "updated_at": "2025-03-02T08:00:00Z", "cancelled_at": null, "test": false, "currency": "EUR", "email": "bob@example.com",
         "customer": {"id": 207119551},
         "line_items": [{"title": " ", "variant_title": null, "sku": "H-RM", "quantity": 2, "current_quantity": 2, "price": "40.00", "total_discount": "0.00"}]}
        """;

    // A GraphQL Admin API order node (shopify.dev/docs/api/admin-graphql/latest/objects/Order) whose lineItems have a next page.
    private const string TruncatedNode = """
        {"id": "gid://shopify/Order/5001", "name": "#2001", "createdAt": "2025-04-01T12:00:00Z", "updatedAt": "2025-04-02T12:00:00Z",
         "test": false, "currencyCode": "USD",
         "lineItems": {"pageInfo": {"hasNextPage": true, "endCursor": "abc"}, "edges": [
           {"node": {"title": "Cap", "sku": "C-1", "quantity": 2, "currentQuantity": 2,
                     "originalUnitPriceSet": {"shopMoney": {"amount": "20.0", "currencyCode": "USD"}}}}]}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rest_order_refused_for_a_blank_title_passes_under_product_name_sku_and_keeps_the_letters_origin()
    {
        var letter = new DeadLetter("empty product name", "REST order 450789469", RestOrder, "450789469", DateTimeOffset.UnixEpoch);

        var before = (await new ShopifyRecordReplayer(new ShopifyMappingOptions()).ReplayAsync(letter, Ct)).Batch!.Normalize();
        var after = (await new ShopifyRecordReplayer(new ShopifyMappingOptions { ProductName = ShopifyProductName.Sku }).ReplayAsync(letter, Ct)).Batch!;

        Assert.Equal("REST order 450789469", Assert.Single(before.Refusals).Position);
        var order = Assert.Single(after.Normalize().Orders);
        Assert.Equal(("H-RM", 2m, 40m), (order.LineItems[0].ProductName, order.LineItems[0].Quantity, order.LineItems[0].UnitPrice));
        Assert.Equal(RestOrder, after.Drafts[0].Origin!.OriginalRecord);
    }

    [Fact]
    public async Task A_graphql_order_that_kept_only_its_first_page_of_lines_and_a_bulk_letter_are_not_replayed()
    {
        var replayer = new ShopifyRecordReplayer(new ShopifyMappingOptions());

        var truncated = await replayer.ReplayAsync(new DeadLetter("too many lines", "GraphQL order gid://shopify/Order/5001", TruncatedNode, "5001", DateTimeOffset.UnixEpoch), Ct);
        var bulk = await replayer.ReplayAsync(new DeadLetter("bad", "bulk operation gid://1, result line 4", "{}", null, DateTimeOffset.UnixEpoch), Ct);

        Assert.Contains("only the first page", truncated.NotReplayable, StringComparison.Ordinal);
        Assert.Contains("bulk export", bulk.NotReplayable, StringComparison.Ordinal);
        Assert.Null(truncated.Batch);
    }
}
