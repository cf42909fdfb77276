using System.Text;
using Affinsy.Connectors.Shopify;
using Affinsy.Connectors.WooCommerce;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class KafkaSourcePluginTests
{
    /// <summary>Kafka with the formats the Shopify and WooCommerce connectors register, as the Host wires them.</summary>
    private static SourceRegistry HostRegistry() => new SourceRegistry().AddShopifySource().AddWooCommerceSource().AddKafkaSource();

    private static ConnectorsConfig Parse(string source, Func<string, string?>? environment = null, SourceRegistry? registry = null) =>
        ConnectorsConfigLoader.Parse(
            $"""
            pipelines:
              - name: kafka
                dataset_id: orders
                source:
            {source}
            """,
            "connectors.yaml",
            Directory.GetCurrentDirectory(),
            registry ?? HostRegistry(),
            environment ?? (_ => null));

    private static KafkaSourceOptions Bind(string source) =>
        Assert.IsType<KafkaOrderSource>(Parse(source).Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)).Options;

    [Fact]
    public void AddKafkaSource_registers_kafka() => Assert.Equal(["kafka"], new SourceRegistry().AddKafkaSource().Types);

    [Fact]
    public void A_full_source_section_binds_with_secrets_from_the_environment()
    {
        var config = Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: line_item
                  order_idle: 45s
                  dead_letter_topic: orders-dlt
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: PLAIN
                    sasl.username: affinsy
                    sasl.password: ${KAFKA_PASSWORD}
            """, name => name == "KAFKA_PASSWORD" ? "s3cret" : null);

        var source = Assert.IsType<KafkaOrderSource>(config.Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Equal("line_item", source.Options.Format);
        Assert.Equal(TimeSpan.FromSeconds(45), source.Options.OrderIdle);
        Assert.Equal("s3cret", source.Options.Properties["sasl.password"]);
        Assert.Equal(["orders"], source.Options.Topics);
    }

    [Fact]
    public void The_shopify_format_registered_by_the_shopify_connector_binds_its_mapping_options()
    {
        var options = Bind("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [shopify-orders]
                  format: shopify
                  include_test_orders: true
                  product_name: sku
            """);

        Assert.Equal("shopify", options.Format);
        // A test order (skipped by default) is sent, named by SKU: the options reached the Shopify connector's mapper.
        var decoded = options.Decoder!.Decode(Encoding.UTF8.GetBytes("""
            {"id": 7, "test": true, "line_items": [{"title": "Tea", "sku": "TEA-1", "quantity": 1, "price": "2.00"}]}
            """));
        Assert.Equal("TEA-1", Assert.Single(OrderNormalizer.Normalize(decoded.Draft!).Order!.LineItems).ProductName);
    }

    [Fact]
    public void The_woocommerce_format_registered_by_the_woocommerce_connector_binds_statuses_and_product_names()
    {
        var options = Bind("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [woo-orders]
                  format: woocommerce
                  statuses: [completed]
                  product_name: sku
            """);

        Assert.Equal("woocommerce", options.Format);
        var completed = options.Decoder!.Decode(Encoding.UTF8.GetBytes("""
            {"id": 5, "status": "completed", "line_items": [{"id": 1, "name": "Cap", "sku": "CAP-1", "quantity": 1, "total": "3.00"}]}
            """));
        var processing = options.Decoder.Decode(Encoding.UTF8.GetBytes("""
            {"id": 6, "status": "processing", "line_items": [{"id": 1, "name": "Cap", "sku": "CAP-1", "quantity": 1, "total": "3.00"}]}
            """));
        Assert.Equal("CAP-1", Assert.Single(OrderNormalizer.Normalize(completed.Draft!).Order!.LineItems).ProductName);
        Assert.Equal(SkipReason.StatusNotSold, processing.Skipped); // not in statuses
    }

    [Fact]
    public void An_unknown_format_is_refused_with_a_suggestion_from_the_registered_formats()
    {
        var misspelled = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: shopfy
            """));
        var unknown = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: avro
            """));

        Assert.Contains("'shopfy' is not allowed; did you mean 'shopify'?", Assert.Single(misspelled.Problems).Message, StringComparison.Ordinal);
        Assert.Contains("'avro' is not allowed; expected one of: affinsy, line_item, shopify, woocommerce", Assert.Single(unknown.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_store_connectors_registered_only_kafkas_own_formats_and_keys_exist()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: woocommerce
                  statuses: [completed]
            """, registry: new SourceRegistry().AddKafkaSource()));

        Assert.Contains(e.Problems, p => p.Message.Contains("'woocommerce' is not allowed; expected one of: affinsy, line_item", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Path.EndsWith("statuses", StringComparison.Ordinal) && p.Message.StartsWith("unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void Store_options_that_do_not_apply_to_the_format_and_unsendable_statuses_are_reported()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: woocommerce
                  include_test_orders: true
                  product_name: title_variant
                  statuses: [completed, refunded]
            """));
        Assert.Contains(e.Problems, p => p.Message.Contains("'include_test_orders' does not apply to format 'woocommerce'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("'refunded' orders are never sent", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("title_variant", StringComparison.Ordinal));

        var affinsy = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  customer_id: email_hash
            """));
        Assert.Contains(affinsy.Problems, p => p.Message.Contains("applies to the shopify and woocommerce formats only", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_topics_and_settings_the_connector_owns_are_reported()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  properties:
                    enable.auto.commit: "true"
            """));
        Assert.Contains(e.Problems, p => p.Message.Contains("'topics'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("'enable.auto.commit' is set by the connector", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sasl.password", "s3cret\n")]
    [InlineData("sasl.password", "s3cret\r\n")]
    [InlineData("sasl.username", "affinsy\r")]
    [InlineData("sasl.username", "affin\0sy")]
    public void A_sasl_credential_with_a_line_break_or_NUL_is_refused_naming_the_setting_but_not_its_value(string key, string value)
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse($$"""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  properties:
                    security.protocol: SASL_SSL
                    {{key}}: ${KAFKA_SECRET}
            """, name => name == "KAFKA_SECRET" ? value : null));

        var problem = Assert.Single(e.Problems);
        Assert.Contains($"'{key}' contains a line break or NUL character", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value.TrimEnd('\r', '\n'), e.Message + problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dead_letter_properties_configure_the_dead_letter_producer_and_its_message_size()
    {
        var config = Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  dead_letter_topic: orders-dlt
                  dead_letter_properties:
                    message.max.bytes: "10000000"
                    compression.type: zstd
            """);

        var options = Assert.IsType<KafkaOrderSource>(config.Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)).Options;
        Assert.Equal(10_000_000, options.DeadLetterMaxMessageBytes);
        Assert.Equal("zstd", DeadLetters.DeadLetterTopic.ProducerConfig(options).Get("compression.type"));
        Assert.Equal(1_000_000, (options with { DeadLetterProperties = new Dictionary<string, string>() }).DeadLetterMaxMessageBytes);
    }

    [Fact]
    public void Dead_letter_properties_without_a_topic_owned_settings_and_a_bad_size_are_reported()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  dead_letter_properties:
                    acks: "1"
                    message.max.bytes: 10MB
            """));
        Assert.Contains(e.Problems, p => p.Message.Contains("set 'dead_letter_topic' or remove it", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("'acks' is set by the connector", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("'message.max.bytes' must be a whole number of bytes", StringComparison.Ordinal));
    }
}
