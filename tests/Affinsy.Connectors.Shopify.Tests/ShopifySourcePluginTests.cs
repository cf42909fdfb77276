using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class ShopifySourcePluginTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Loads one pipeline whose source section is <paramref name="source"/> (the token from the environment), on <paramref name="now"/>'s clock.</summary>
    internal static ConnectorsConfig Parse(string source, Func<string, string?>? environment = null, DateTimeOffset? now = null) =>
        ConnectorsConfigLoader.Parse(
            "pipelines:\n  - name: shop\n    dataset_id: shop\n    source:\n" + string.Join('\n', source.Split('\n').Select(l => "      " + l)),
            "test.yaml", Path.GetTempPath(), new SourceRegistry().AddShopifySource(new VirtualClock(now ?? Today)),
            environment ?? (name => name == "SHOPIFY_TOKEN" ? "shpat_emulator" : null));

    [Theory]
    [InlineData("2025-07", "was retired on 2026-07-01", "2026-01")]
    [InlineData("2025-10", "was retired on 2026-10-01", "2026-01")]
    [InlineData("2026-01", "retires on 2027-01-01 (in 31 days)", "2026-10")]
    [InlineData("2027-01", "not released yet", "2026-10")]
    public void Validate_warns_about_a_retired_or_retiring_api_version_and_names_the_one_to_use(string version, string says, string names)
    {
        var config = Parse($"type: shopify\nshop: my-store.myshopify.com\naccess_token: ${{SHOPIFY_TOKEN}}\napi_version: {version}");

        var warning = Assert.Single(config.Warnings);
        Assert.Equal("pipelines[0].source.api_version", warning.Path);
        Assert.Contains(says, warning.Message, StringComparison.Ordinal);
        Assert.Contains(names, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_api_version_is_current_and_warns_about_nothing()
    {
        var config = Parse("type: shopify\nshop: my-store.myshopify.com\naccess_token: ${SHOPIFY_TOKEN}");

        Assert.Empty(config.Warnings);
        Assert.Equal("2026-10", ShopifySourcePlugin.DefaultApiVersion);
        Assert.Single(Parse("type: shopify\nshop: my-store.myshopify.com\naccess_token: ${SHOPIFY_TOKEN}", now: new DateTimeOffset(2027, 8, 1, 0, 0, 0, TimeSpan.Zero)).Warnings);
    }

    [Fact]
    public void Start_date_price_and_group_objects_are_checked()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(
            "type: shopify\nshop: my-store.myshopify.com\naccess_token: ${SHOPIFY_TOKEN}\nstart_date: 01/02/2024\nprice: net\ngroup_objects: sometimes"));

        Assert.Contains("start_date", error.Message, StringComparison.Ordinal);
        Assert.Contains("price", error.Message, StringComparison.Ordinal);
        Assert.Contains("group_objects", error.Message, StringComparison.Ordinal);
    }

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
        var clock = new VirtualClock(Today);
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
            orders += batch.Normalize().Orders.Count;
        }

        Assert.IsType<ShopifyOrderSource>(source);
        Assert.Equal(emulator.Orders.Count(o => o.Lines.Any(l => l.CurrentQuantity > 0)), orders);
        Assert.Equal(1, emulator.RestRequests);
    }
}
