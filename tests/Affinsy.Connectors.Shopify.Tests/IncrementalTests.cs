using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class IncrementalTests
{
    private static EmulatedOrder Sendable(ShopifyHarness h, int skip) =>
        h.Emulator.Orders.Where(o => o.CancelledAt is null && !o.Test && o.Lines.Any(l => l.CurrentQuantity > 0)).Skip(skip).First();

    [Fact]
    public async Task Incremental_sync_after_a_backfill_sends_only_the_changed_orders()
    {
        await using var h = await ShopifyHarness.StartAsync();
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        var watermark = (await h.CheckpointAsync()).UpdatedAt!.Value;
        h.Clock.Advance(TimeSpan.FromHours(1));
        foreach (var skip in new[] { 3, 40, 200 })
        {
            var order = Sendable(h, skip);
            h.Emulator.Update(order.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 5 })] });
        }

        var second = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, second.Outcome);
        Assert.Equal(3, second.OrdersRead);
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        Assert.Equal($"updated_at:>='{watermark.AddMinutes(-10).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}'", h.Emulator.OrderFilters[^1]);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(h.Emulator.Orders.Max(o => o.UpdatedAt), (await h.CheckpointAsync()).UpdatedAt);
    }

    [Fact]
    public async Task A_late_update_inside_the_lookback_is_caught_by_the_next_sync()
    {
        await using var h = await ShopifyHarness.StartAsync();
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Emulator.Update(Sendable(h, 1).Id, o => o);
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        var watermark = (await h.CheckpointAsync()).UpdatedAt!.Value;

        // Committed late: its updatedAt is before the watermark the last sync already passed.
        var late = Sendable(h, 7);
        h.Emulator.Update(late.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 1 })] }, watermark.AddMinutes(-5));
        var third = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, third.Outcome);
        Assert.Equal(2, third.OrdersRead);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(watermark, (await h.CheckpointAsync()).UpdatedAt);
    }

    [Fact]
    public async Task Rest_incremental_uses_the_lookback_window_too()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 100 });
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync(ShopifyReadMode.Rest)).Outcome);
        var watermark = (await h.CheckpointAsync()).UpdatedAt!.Value;
        var late = Sendable(h, 5);
        h.Emulator.Update(late.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 2 })] }, watermark.AddMinutes(-9));

        var second = await h.SyncAsync(ShopifyReadMode.Rest);

        Assert.Equal(SyncOutcome.Completed, second.Outcome);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.InRange(second.OrdersRead, 1, 3);
    }
}
