using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Testing.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class ShopifySourcePluginTests
{
    private static ConnectorsConfig Parse(string source, Func<string, string?>? environment = null) =>
        ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: shop\n    dataset_id: shop\n    source:\n" + string.Join('\n', source.Split('\n').Select(l => "      " + l)),
            "test.yaml", Path.GetTempPath(), new SourceRegistry().AddShopifySource(), environment ?? (name => name == "SHOPIFY_TOKEN" ? "shpat_emulator" : null));

    [Fact]
    public void AddShopifySource_registers_shopify() =>
        Assert.Equal(["shopify"], new SourceRegistry().AddShopifySource().Types);

    [Fact]
    public void Every_problem_is_reported_with_its_key_and_the_token_is_never_quoted()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse("""
            type: shopify
            shop: https://my-store.com
            access_token: shpat_literal_secret
            api_version: july
            include_cancelled: maybe
            mode: fast
            lookback: soon
            product_name: variant
            """));

        Assert.Contains("name.myshopify.com", error.Message.Replace("my-store.myshopify.com", "name.myshopify.com", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("api_version", error.Message, StringComparison.Ordinal);
        Assert.Contains("source.mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("lookback", error.Message, StringComparison.Ordinal);
        Assert.Contains("product_name", error.Message, StringComparison.Ordinal);
        Assert.Contains("include_cancelled", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_literal_secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_bound_from_yaml_reads_the_emulated_shop()
    {
        var clock = new VirtualClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 20 }, clock, TestContext.Current.CancellationToken);
        var config = Parse($"""
            type: shopify
            shop: emulated.myshopify.com
            access_token: ${"{"}SHOPIFY_TOKEN{"}"}
            mode: rest
            lookback: 5m
            include_test_orders: true
            include_cancelled: true
            base_url: {emulator.BaseUrl}
            """);

        var source = config.Pipelines[0].SourceFactory(new SourceContext("shop", "shop", ".", clock, NullLoggerFactory.Instance));
        var orders = 0;
        await foreach (var batch in source.ReadAsync(null, TestContext.Current.CancellationToken))
        {
            orders += batch.Orders.Count;
        }

        Assert.IsType<ShopifyOrderSource>(source);
        Assert.Equal(emulator.Orders.Count(o => o.Lines.Any(l => l.CurrentQuantity > 0)), orders);
        Assert.Equal(1, emulator.RestRequests);
    }
}
