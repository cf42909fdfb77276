using System.Text;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>
/// The <c>woocommerce</c> message format this connector registers for message sources (a Kafka topic of order
/// payloads): its keys bind with the source's names and defaults, and a payload becomes the order that source would
/// send. Through a broker it is tested in the Kafka connector's <c>StoreFormatTests</c>.
/// </summary>
public sealed class WooCommerceMessageFormatTests
{
    // Orders in the shape of WooCommerce REST API v3 "Retrieve an order" (woocommerce.github.io/woocommerce-rest-api-docs),
    // which the order.* webhooks deliver too.
    private const string Processing = """
        {"id": 727, "number": "727", "status": "processing", "currency": "EUR", "customer_id": 5,
         "billing": {"email": "ann@example.com"}, "date_created_gmt": "2026-01-10T09:00:00", "date_paid_gmt": "2026-01-10T09:30:00",
         "date_modified_gmt": "2026-01-10T10:00:00",
         "line_items": [
           {"id": 1, "name": "Hoodie", "product_id": 10, "variation_id": 0, "quantity": 2, "total": "36.00", "subtotal": "40.00", "sku": "HOOD", "price": 18},
           {"id": 2, "name": "Cap", "product_id": 11, "variation_id": 0, "quantity": 3, "total": "10.50", "subtotal": "10.50", "sku": "", "price": 3.5}]}
        """;

    private const string Cancelled = """
        {"id": 729, "status": "cancelled", "customer_id": 6,
         "line_items": [{"id": 4, "name": "Hoodie", "product_id": 10, "quantity": 1, "total": "20.00", "price": 20}]}
        """;

    private const string Pending = """
        {"id": 730, "status": "pending", "customer_id": 7,
         "line_items": [{"id": 5, "name": "Cap", "product_id": 11, "quantity": 1, "total": "3.50", "sku": "CAP", "price": 3.5}]}
        """;

    [Fact]
    public void AddWooCommerceSource_registers_the_woocommerce_message_format() =>
        Assert.Equal(["woocommerce"], new SourceRegistry().AddWooCommerceSource().MessageFormats.Names);

    [Fact]
    public void The_format_binds_statuses_product_name_and_customer_id()
    {
        var decoder = Bind("""
            statuses: [completed]
            product_name: sku
            customer_id: email_hash
            """);

        Assert.Equal(["completed"], decoder.Statuses);
        Assert.Equal(ProductNameField.Sku, decoder.Mapping.ProductName);
        Assert.Equal(CustomerIdField.EmailHash, decoder.Mapping.CustomerId);
    }

    [Fact]
    public void Without_options_it_takes_the_sources_default_statuses()
    {
        Assert.Equal(["processing", "completed", "on-hold"], Bind(string.Empty).Statuses);
    }

    [Fact]
    public void Unsendable_and_unknown_statuses_and_an_empty_list_are_reported()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("statuses: [completed, refunded, shipped]"));
        var empty = Assert.Throws<ConfigurationException>(() => Bind("statuses: []"));

        Assert.Contains(e.Problems, p => p.Message.Contains("'refunded' orders are never sent", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("'shipped' is not a WooCommerce order status that can be sent", StringComparison.Ordinal));
        Assert.Contains(empty.Problems, p => p.Message.Contains("list at least one status", StringComparison.Ordinal));
    }

    [Fact]
    public void Statuses_any_sends_pending_orders_but_never_cancelled_ones_and_sku_names_products()
    {
        var decoder = new WooCommerceMessageDecoder(new WooCommerceMapping { ProductName = ProductNameField.Sku }, ["any"]);

        var processing = decoder.Decode(Utf8(Processing));
        var cancelled = decoder.Decode(Utf8(Cancelled));
        var pending = decoder.Decode(Utf8(Pending));

        Assert.Equal(SkipReason.Cancelled, cancelled.Skipped);
        var first = OrderNormalizer.Normalize(processing.Draft!).Order!;
        Assert.Equal(["HOOD", "Cap"], first.LineItems.Select(l => l.ProductName)); // Cap has an empty SKU
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 9, 30, 0, TimeSpan.Zero), first.OrderDate); // paid, GMT
        Assert.Equal("CAP", OrderNormalizer.Normalize(pending.Draft!).Order!.LineItems.Single().ProductName);
    }

    [Fact]
    public void An_order_normalization_refuses_keeps_its_id_and_an_empty_message_is_a_problem()
    {
        var decoder = Bind(string.Empty);

        var badDate = decoder.Decode(Utf8("""{"id": 9, "status": "completed", "date_paid_gmt": "yesterday", "line_items": [{"id": 1, "name": "Cap", "quantity": 1, "total": "3.00"}]}"""));
        var empty = decoder.Decode([]);

        Assert.Equal("9", badDate.Draft!.OrderId);
        Assert.Contains("yesterday", OrderNormalizer.Normalize(badDate.Draft).RefusalReason, StringComparison.Ordinal);
        Assert.StartsWith("empty message", empty.Problem, StringComparison.Ordinal);
    }

    /// <summary>Binds the format from a source section the way a message source does (a stand-in source type here).</summary>
    private static WooCommerceMessageDecoder Bind(string keys)
    {
        IOrderMessageDecoder? decoder = null;
        var registry = new SourceRegistry().AddWooCommerceSource();
        Assert.True(registry.MessageFormats.TryGet("woocommerce", out var format));
        registry.Add("messages", section =>
        {
            decoder = format.Bind(section);
            return _ => throw new NotSupportedException("binding only");
        });
        var source = "type: messages\n" + keys;
        ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: woo\n    dataset_id: woo\n    source:\n" + string.Join('\n', source.Split('\n').Select(l => "      " + l)),
            "test.yaml", Path.GetTempPath(), registry, _ => null);
        return Assert.IsType<WooCommerceMessageDecoder>(decoder);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
