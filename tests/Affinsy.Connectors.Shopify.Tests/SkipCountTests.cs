using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// Cancelled, test and fully refunded orders are skipped by design: counted by reason in the sync's result, never
/// dead-lettered. The emulated shop's orders (ShopifySeed: cancelled_at set, test: true, every currentQuantity 0, as
/// the Admin API's Order object documents them) give the expected counts, worked out here from the orders themselves.
/// </summary>
public sealed class SkipCountTests
{
    [Theory]
    [InlineData("bulk")]
    [InlineData("graphql")]
    [InlineData("rest")]
    public async Task Cancelled_test_and_fully_refunded_orders_are_counted_by_reason_and_not_dead_lettered(string mode)
    {
        await using var h = await ShopifyHarness.StartAsync();

        var result = await h.SyncAsync(Enum.Parse<ShopifyReadMode>(mode, ignoreCase: true));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(Expected(h.Emulator.Orders), result.Skipped);
        Assert.True(result.Skipped[SkipReason.Cancelled] > 0 && result.Skipped[SkipReason.Test] > 0 && result.Skipped[SkipReason.Refunded] > 0, result.Skipped.Describe());
        Assert.Empty(await h.DeadLettersAsync());
        Assert.Equal(h.Emulator.Orders.Count - result.Skipped.Total, result.OrdersRead);
    }

    [Fact]
    public async Task A_cancelled_order_read_by_the_bulk_export_and_again_by_its_catch_up_is_counted_once()
    {
        await using var h = await ShopifyHarness.StartAsync();
        var sendable = h.Emulator.Orders.First(o => o.CancelledAt is null && !o.Test && o.Lines.Any(l => l.CurrentQuantity > 0));

        // Cancelled just now: inside the lookback before the export started, so the catch-up after it reads the order again.
        h.Emulator.Update(sendable.Id, o => o with { CancelledAt = h.Clock.GetUtcNow() });
        var result = await h.SyncAsync(ShopifyReadMode.Bulk);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(Expected(h.Emulator.Orders), result.Skipped);
    }

    private static SkipCounts Expected(IEnumerable<EmulatedOrder> orders)
    {
        var expected = new SkipCounts();
        foreach (var o in orders)
        {
            if (o.CancelledAt is not null)
            {
                expected.Add(SkipReason.Cancelled);
            }
            else if (o.Test)
            {
                expected.Add(SkipReason.Test);
            }
            else if (o.Lines.All(l => l.CurrentQuantity == 0))
            {
                expected.Add(SkipReason.Refunded);
            }
        }

        return expected;
    }
}
