using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Connectors.WooCommerce.Reading;
using Affinsy.Core.State;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>Reading a WooCommerce dead letter (the order's JSON) again with the current mapping (<c>dead-letters replay</c>).</summary>
public sealed class WooCommerceRecordReplayerTests
{
    // Field names of the WooCommerce REST API v3 order (woocommerce.github.io/woocommerce-rest-api-docs/#order-properties):
    // a line with a blank name but a SKU, so product_name: sku makes it sendable.
    private const string Order = """
        {"id":727,"number":"727","status":"completed","currency":"EUR","customer_id":0,
         "billing":{"email":"jane@example.com"},
         "date_created_gmt":"2025-03-15T10:30:00","date_modified_gmt":"2025-03-16T08:00:05","date_paid_gmt":"2025-03-15T10:35:00",
         "line_items":[{"id":11,"name":" ","product_id":5,"variation_id":0,"quantity":3,"subtotal":"30.00","total":"27.00","sku":"T-1","price":9}],
         "refunds":[]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_refused_for_a_blank_name_passes_under_product_name_sku()
    {
        var letter = new DeadLetter("empty product name", "order 727 (modified 2025-03-16T08:00:05)", Order, "727", DateTimeOffset.UnixEpoch);

        var before = (await new WooCommerceRecordReplayer(new WooCommerceMapping()).ReplayAsync(letter, Ct)).Batch!.Normalize();
        var after = (await new WooCommerceRecordReplayer(new WooCommerceMapping { ProductName = ProductNameField.Sku }).ReplayAsync(letter, Ct)).Batch!.Normalize();

        Assert.Equal(letter.Position, Assert.Single(before.Refusals).Position);
        var line = Assert.Single(Assert.Single(after.Orders).LineItems);
        Assert.Equal(("T-1", 3m, 9m), (line.ProductName, line.Quantity, line.UnitPrice));
    }

    [Fact]
    public async Task An_order_with_refunds_is_not_replayed_since_the_letter_lacks_their_lines()
    {
        var refunded = Order.Replace("\"refunds\":[]", "\"refunds\":[{\"id\":900,\"reason\":\"\",\"total\":\"-9.00\"}]", StringComparison.Ordinal);

        var replay = await new WooCommerceRecordReplayer(new WooCommerceMapping()).ReplayAsync(
            new DeadLetter("empty product name", "order 727", refunded, "727", DateTimeOffset.UnixEpoch), Ct);

        Assert.Null(replay.Batch);
        Assert.Contains("has refunds", replay.NotReplayable, StringComparison.Ordinal);
    }
}
