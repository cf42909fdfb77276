using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>What an audit of "Shopify as it really answers today" found missing: the scope warning, retirement by the clock, config checks.</summary>
public sealed class ConnectorGapsTests
{
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
}
