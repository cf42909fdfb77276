using System.Security.Cryptography;
using System.Text;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// The <c>shopify</c> and <c>woocommerce</c> formats, as the Shopify and WooCommerce connectors register them, through
/// a real broker: store payloads on a topic land as those connectors map them. Their mapping options are tested in
/// those connectors' own tests (<c>ShopifyMessageFormatTests</c>, <c>WooCommerceMessageFormatTests</c>).
/// </summary>
public sealed class StoreFormatTests
{
    // Expected values below are worked out by hand from the payloads (price after the line's discount, quantity
    // after refunds), not by calling the mappers.
    private const string ShopifyOrder1001 = """
        {"id": 1001, "name": "#1001", "email": "ann@example.com", "created_at": "2026-01-10T10:00:00-05:00",
         "processed_at": "2026-01-10T10:05:00-05:00", "updated_at": "2026-01-10T11:00:00-05:00", "cancelled_at": null,
         "test": false, "currency": "USD", "customer": {"id": 501},
         "line_items": [
           {"title": "Tea", "variant_title": "Large", "sku": "TEA-L", "quantity": 2, "current_quantity": 2, "price": "10.00", "total_discount": "2.00"},
           {"title": "Mug", "variant_title": null, "sku": "MUG", "quantity": 1, "current_quantity": 1, "price": "7.50", "total_discount": "0.00"}]}
        """;

    private const string ShopifyGuestWithRefund = """
        {"id": 1002, "name": "#1002", "email": " Guest@Example.com ", "processed_at": "2026-01-11T09:00:00Z", "test": false,
         "currency": "USD", "customer": null,
         "line_items": [
           {"title": "Tea", "variant_title": "Small", "sku": "TEA-S", "quantity": 3, "current_quantity": 1, "price": "4.00", "total_discount": "0.00"},
           {"title": "Jam", "sku": "JAM", "quantity": 1, "current_quantity": 0, "price": "5.00", "total_discount": "0.00"}]}
        """;

    private const string ShopifyTestOrder = """
        {"id": 1003, "name": "#1003", "test": true, "customer": {"id": 502},
         "line_items": [{"title": "Tea", "quantity": 1, "price": "10.00", "total_discount": "0.00"}]}
        """;

    private const string ShopifyCancelled = """
        {"id": 1004, "name": "#1004", "cancelled_at": "2026-01-12T00:00:00Z", "test": false, "customer": {"id": 503},
         "line_items": [{"title": "Tea", "quantity": 1, "price": "10.00", "total_discount": "0.00"}]}
        """;

    private const string WooProcessing = """
        {"id": 727, "number": "727", "status": "processing", "currency": "EUR", "customer_id": 5,
         "billing": {"email": "ann@example.com"}, "date_created_gmt": "2026-01-10T09:00:00", "date_paid_gmt": "2026-01-10T09:30:00",
         "date_modified_gmt": "2026-01-10T10:00:00",
         "line_items": [
           {"id": 1, "name": "Hoodie", "product_id": 10, "variation_id": 0, "quantity": 2, "total": "36.00", "subtotal": "40.00", "sku": "HOOD", "price": 18},
           {"id": 2, "name": "Cap", "product_id": 11, "variation_id": 0, "quantity": 3, "total": "10.50", "subtotal": "10.50", "sku": "", "price": 3.5}]}
        """;

    private const string WooGuestCompleted = """
        {"id": 728, "status": "completed", "customer_id": 0, "billing": {"email": "Guest@Example.com"},
         "date_created_gmt": "2026-01-11T08:00:00",
         "line_items": [{"id": 3, "name": "Scarf", "product_id": 12, "quantity": 1, "total": "12.00", "sku": "SCARF", "price": 12}]}
        """;

    private const string WooCancelled = """
        {"id": 729, "status": "cancelled", "customer_id": 6,
         "line_items": [{"id": 4, "name": "Hoodie", "product_id": 10, "quantity": 1, "total": "20.00", "price": 20}]}
        """;

    private const string WooPending = """
        {"id": 730, "status": "pending", "customer_id": 7,
         "line_items": [{"id": 5, "name": "Cap", "product_id": 11, "quantity": 1, "total": "3.50", "sku": "CAP", "price": 3.5}]}
        """;

    [Fact]
    public async Task Shopify_webhook_payloads_land_as_the_shopify_source_maps_them_and_a_malformed_one_is_dead_lettered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("shopify", 4, ct);
        await harness.Broker.CreateTopicAsync("shopify-dlt", 4, ct);
        await harness.ProduceAsync("shopify",
        [
            ("1001", ShopifyOrder1001),
            ("bad-json", "<html>not a payload</html>"),
            ("1002", ShopifyGuestWithRefund),
            ("1003", ShopifyTestOrder),
            ("1004", ShopifyCancelled),
            ("bad-shape", """{"id": 1005, "line_items": "none"}"""),
        ], ct);

        var result = await harness.SyncAsync(harness.Options("shopify", "gs", "shopify") with { DeadLetterTopic = "shopify-dlt" }, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(2, result.OrdersRead); // the test and cancelled orders are skipped, not refused
        Assert.Equal("1 cancelled, 1 test", result.Skipped.Describe());
        Assert.Equal(
            [
                KafkaSyncHarness.Row("1001", "Mug", 7.5m, 1, "501"),
                KafkaSyncHarness.Row("1001", "Tea", 9m, 2, "501"),
                KafkaSyncHarness.Row("1002", "Tea", 4m, 1, Sha256Hex("guest@example.com")),
            ],
            harness.StoredRows());
        AssertDeadLetters(harness, "shopify", ["bad-json", "bad-shape"]);
        harness.AssertCommittedToEnd("gs", "shopify");
    }

    [Fact]
    public async Task WooCommerce_payloads_land_at_the_price_paid_and_unsent_statuses_stay_out_while_a_malformed_one_is_dead_lettered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("woo", 4, ct);
        await harness.Broker.CreateTopicAsync("woo-dlt", 4, ct);
        await harness.ProduceAsync("woo",
        [
            ("727", WooProcessing),
            ("bad-json", "{\"id\": 731, "),
            ("728", WooGuestCompleted),
            ("729", WooCancelled),
            ("730", WooPending),
            ("bad-id", """{"id": "seven", "status": "completed"}"""),
        ], ct);

        var result = await harness.SyncAsync(harness.Options("woo", "gw", "woocommerce") with { DeadLetterTopic = "woo-dlt" }, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(2, result.OrdersRead);
        Assert.Equal("1 cancelled, 1 status_not_sold", result.Skipped.Describe()); // 730 is pending, not in the default statuses
        Assert.Equal(
            [
                KafkaSyncHarness.Row("727", "Cap", 3.5m, 3, "5"),
                KafkaSyncHarness.Row("727", "Hoodie", 18m, 2, "5"),
                KafkaSyncHarness.Row("728", "Scarf", 12m, 1, Sha256Hex("guest@example.com")),
            ],
            harness.StoredRows());
        AssertDeadLetters(harness, "woo", ["bad-id", "bad-json"]);
        harness.AssertCommittedToEnd("gw", "woo");
    }

    private static void AssertDeadLetters(KafkaSyncHarness harness, string topic, string[] keys)
    {
        var dead = harness.Broker.ReadAll(topic + "-dlt", TestContext.Current.CancellationToken);
        Assert.Equal(keys, dead.Select(d => d.Message.Key).Order(StringComparer.Ordinal));
        foreach (var letter in dead)
        {
            string Header(string name) => Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(name));
            Assert.Equal(topic, Header("affinsy.topic"));
            Assert.Contains("not a valid JSON message", Header("affinsy.error"), StringComparison.Ordinal);
            Assert.True(long.Parse(Header("affinsy.offset"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.True(int.Parse(Header("affinsy.partition"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        }
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
