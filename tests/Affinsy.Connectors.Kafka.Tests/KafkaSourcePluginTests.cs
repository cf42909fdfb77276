using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class KafkaSourcePluginTests
{
    private static ConnectorsConfig Parse(string source, Func<string, string?>? environment = null) =>
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
            new SourceRegistry().AddKafkaSource(),
            environment ?? (_ => null));

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
    public void The_shopify_format_takes_the_shopify_sources_mapping_options()
    {
        var config = Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [shopify-orders]
                  format: shopify
                  include_test_orders: true
                  include_cancelled: true
                  product_name: sku
                  customer_id: email_hash
            """);

        var options = Assert.IsType<KafkaOrderSource>(config.Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)).Options;
        Assert.Equal("shopify", options.Format);
        Assert.Equal(
            new Affinsy.Connectors.Shopify.Mapping.ShopifyMappingOptions
            {
                IncludeTestOrders = true,
                IncludeCancelled = true,
                ProductName = Affinsy.Connectors.Shopify.Mapping.ShopifyProductName.Sku,
                CustomerId = Affinsy.Connectors.Shopify.Mapping.ShopifyCustomerId.EmailHash,
            },
            options.Shopify);
    }

    [Fact]
    public void The_woocommerce_format_takes_statuses_product_name_and_customer_id()
    {
        var config = Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [woo-orders]
                  format: woocommerce
                  statuses: [completed]
                  product_name: sku
                  customer_id: email_hash
            """);

        var options = Assert.IsType<KafkaOrderSource>(config.Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)).Options;
        Assert.Equal(["completed"], options.WooCommerceStatuses);
        Assert.Equal(Affinsy.Connectors.WooCommerce.Mapping.ProductNameField.Sku, options.WooCommerce.ProductName);
        Assert.Equal(Affinsy.Connectors.WooCommerce.Mapping.CustomerIdField.EmailHash, options.WooCommerce.CustomerId);
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
