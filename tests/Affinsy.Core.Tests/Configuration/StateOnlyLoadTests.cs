using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Configuration;

/// <summary><c>status</c>, <c>state</c>, <c>runs</c> and <c>dead-letters</c> load the file without the sources' secrets.</summary>
public sealed class StateOnlyLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-config-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "connectors.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string ShopifyWithoutToken = """
        affinsy: { base_url: https://www.affinsy.com/api/v1, api_key: "${AFFINSY_API_KEY}" }
        webhooks: { listen: "http://127.0.0.1:5080", max_body_bytes: 4096, max_age: 2m }
        pipelines:
          - name: shopify-main
            dataset_id: my-store
            schedule: "0 0/15 * * * ?"
            source: { type: shopify, shop: my-store.myshopify.com, access_token: "${SHOPIFY_ACCESS_TOKEN}", mode: bulk }
        """;

    [Fact]
    public void A_state_only_load_needs_neither_the_source_token_nor_the_api_key_nor_the_source_plugin()
    {
        var path = Write(ShopifyWithoutToken);

        var config = ConnectorsConfigLoader.LoadForState(path, _ => null);

        var pipeline = Assert.Single(config.Pipelines);
        Assert.Equal(("shopify-main", "my-store", "shopify", "0 0/15 * * * ?"), (pipeline.Name, pipeline.DatasetId, pipeline.SourceType, pipeline.Schedule));
        Assert.Equal((4096, TimeSpan.FromMinutes(2)), (config.Webhooks.MaxBodyBytes, config.Webhooks.MaxAge));
        var e = Assert.Throws<InvalidOperationException>(() => pipeline.CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Contains("state store only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_load_still_refuses_the_missing_token()
    {
        var path = Write(ShopifyWithoutToken);

        var e = Assert.Throws<ConfigurationException>(() => ConnectorsConfigLoader.Load(path, new SourceRegistry(), _ => null));

        Assert.Contains(e.Problems, p => p.Message.Contains("SHOPIFY_ACCESS_TOKEN is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void A_state_only_load_still_needs_what_the_state_store_needs()
    {
        var path = Write("""
            state: { provider: postgres, connection_string: "Host=db;Password=${AFFINSY_PG_PASSWORD}" }
            pipelines:
              - name: orders
                dataset_id: orders
                source: { path: orders.csv }
            """);

        var e = Assert.Throws<ConfigurationException>(() => ConnectorsConfigLoader.LoadForState(path, _ => null));

        Assert.Contains(e.Problems, p => p.Message.Contains("AFFINSY_PG_PASSWORD is not set", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Path == "pipelines[0].source.type");
    }
}
