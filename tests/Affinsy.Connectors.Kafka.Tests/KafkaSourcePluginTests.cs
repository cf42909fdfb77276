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
    public void The_shopify_format_is_refused_as_not_available_yet()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
                  type: kafka
                  bootstrap_servers: broker:9092
                  group_id: affinsy
                  topics: [orders]
                  format: shopify
            """));
        Assert.Contains(e.Problems, p => p.Message.Contains("format 'shopify' is not available yet", StringComparison.Ordinal));
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
}
