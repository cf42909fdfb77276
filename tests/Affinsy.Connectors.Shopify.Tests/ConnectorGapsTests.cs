using Affinsy.Core.Configuration;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>What an audit of "Shopify as it really answers today" found missing: the scope warning, retirement by the clock, config checks.</summary>
public sealed class ConnectorGapsTests
{
    private static ConnectorsConfig Parse(string source, DateTimeOffset now) => ShopifySourcePluginTests.Parse(source, now: now);

    [Fact]
    public async Task A_young_shop_without_start_date_is_not_told_to_request_read_all_orders()
    {
        // Every order a few days old: the shop is young, not cut off at 60 days.
        await using var young = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 0 });
        var orders = ShopifySeed.Generate(300, ShopifyHarness.Now).Where(o => o.CreatedAt >= ShopifyHarness.Now.AddDays(-5)).ToList();
        Assert.NotEmpty(orders);
        foreach (var order in orders)
        {
            young.Emulator.Put(order);
        }

        var result = await young.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(ExpectedRows.For(orders), ExpectedRows.Of(young.Landed()));
        Assert.DoesNotContain(young.Warnings, w => w.Contains("read_all_orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_version_retired_by_the_clock_is_served_as_the_oldest_supported_one_and_said_once()
    {
        // 2026-01 was released 2026-01-01 17:00 UTC and is supported 12 months (shopify.dev "About API versioning"):
        // on 2027-01-15 it is retired, the newest stable is 2027-01 and the oldest supported 2026-04.
        await using var h = await ShopifyHarness.StartAsync();
        h.Clock.Advance(new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.Zero) - ShopifyHarness.Now);

        var result = await h.SyncAsync(h.Options() with { ApiVersion = "2026-01" });

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.NotEmpty(h.Emulator.ServedVersions);
        Assert.All(h.Emulator.ServedVersions, v => Assert.Equal("2026-04", v));
        Assert.Single(h.Warnings, w => w.Contains("asked for API version 2026-01 but Shopify served 2026-04", StringComparison.Ordinal));
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));

        var config = Parse("type: shopify\nshop: my-store.myshopify.com\naccess_token: ${SHOPIFY_TOKEN}\napi_version: 2026-01", h.Clock.GetUtcNow());
        var warning = Assert.Single(config.Warnings);
        Assert.Equal("pipelines[0].source.api_version", warning.Path);
        Assert.Contains("2026-01 was retired on 2027-01-01", warning.Message, StringComparison.Ordinal);
        Assert.Contains("oldest supported version (2026-04)", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-02", "2026-01 or 2026-04")]
    [InlineData("2026-12", "2026-10 or 2027-01")]
    [InlineData("2026-13", "2026-10 (the newest stable version)")]
    [InlineData("latest", "2026-10 (the newest stable version)")]
    public void An_api_version_Shopify_never_releases_fails_validation_naming_the_key_and_the_nearest_stable_versions(string version, string names)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(
            $"type: shopify\nshop: my-store.myshopify.com\naccess_token: ${{SHOPIFY_TOKEN}}\napi_version: {version}", ShopifyHarness.Now));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("pipelines[0].source.api_version", problem.Path);
        Assert.Contains($"'{version}', which is not a Shopify API version", problem.Message, StringComparison.Ordinal);
        Assert.Contains("YYYY-01, YYYY-04, YYYY-07 and YYYY-10", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Set api_version: " + names, problem.Message, StringComparison.Ordinal);
        Assert.Contains("pipelines[0].source.api_version", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-10")]
    [InlineData("unstable")]
    public void A_released_or_unstable_api_version_is_no_error(string version) =>
        Assert.NotNull(Parse($"type: shopify\nshop: my-store.myshopify.com\naccess_token: ${{SHOPIFY_TOKEN}}\napi_version: {version}", ShopifyHarness.Now));
}
