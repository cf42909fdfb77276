using Affinsy.Core.Configuration;
using Affinsy.Host.Cli;
using Xunit;

namespace Affinsy.Host.Tests.Cli;

/// <summary>
/// The executable's registrations: the Kafka source takes the message formats the Shopify and WooCommerce connectors
/// register, with their keys, although the Kafka connector references neither.
/// </summary>
public sealed class SourceRegistrationTests
{
    [Theory]
    [InlineData("format: shopify, include_test_orders: true, product_name: sku")]
    [InlineData("format: woocommerce, statuses: [completed], product_name: sku")]
    public void A_kafka_pipeline_binds_a_store_format_with_its_keys(string format)
    {
        var config = ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: k\n    dataset_id: k\n    source: { type: kafka, bootstrap_servers: b:9092, group_id: g, topics: [t], " + format + " }\n",
            "connectors.yaml", Path.GetTempPath(), ConfigFile.Sources(), _ => null);

        Assert.Single(config.Pipelines);
    }

    [Fact]
    public void The_store_connectors_register_their_message_formats() =>
        Assert.Equal(["shopify", "woocommerce"], ConfigFile.Sources().MessageFormats.Names);
}
