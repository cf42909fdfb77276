using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary><c>start_date</c> bounds the first sync only; the syncs after it read what changed since the checkpoint.</summary>
public sealed class StartDateIncrementalTests
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("bulk")]
    [InlineData("graphql")]
    [InlineData("rest")]
    public async Task After_a_first_sync_from_start_date_the_next_reads_only_the_changed_orders(string modeName)
    {
        var mode = Enum.Parse<ShopifyReadMode>(modeName, ignoreCase: true);
        await using var h = await ShopifyHarness.StartAsync();
        var options = h.Options(mode) with { StartDate = Start };

        var first = await h.SyncAsync(options);

        Assert.Equal(SyncOutcome.Completed, first.Outcome);
        var inRange = h.Emulator.Orders.Where(o => o.UpdatedAt >= Start).ToList();
        Assert.Equal(ExpectedRows.For(inRange), ExpectedRows.Of(h.Landed()));
        Assert.True(inRange.Count < h.Emulator.Orders.Count);

        // The next sync starts the lookback (10 minutes) before the checkpoint: after graphql and rest pages that is the
        // last order read, read again; after a bulk export it is the export's start, after every order.
        var watermark = (await h.CheckpointAsync()).UpdatedAt!.Value;
        Assert.True(watermark > Start);
        var overlap = h.Emulator.Orders.Where(o => o.UpdatedAt >= watermark - options.Lookback && IsSendable(o)).Select(o => o.Id).ToHashSet();

        // An hour later: one order the first sync sent changes, and one from before start_date, not sent then.
        h.Clock.Advance(TimeSpan.FromHours(1));
        var sent = Sendable(h.Emulator.Orders.Where(o => o.UpdatedAt >= Start));
        var older = Sendable(h.Emulator.Orders.Where(o => o.UpdatedAt < Start));
        foreach (var id in new[] { sent.Id, older.Id })
        {
            h.Emulator.Update(id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 2 })] });
        }

        var second = await h.SyncAsync(options);

        Assert.Equal(SyncOutcome.Completed, second.Outcome);
        Assert.Equal(overlap.Union([sent.Id, older.Id]).Count(), second.OrdersRead);
        Assert.Equal(mode == ShopifyReadMode.Bulk ? 0 : 1, overlap.Count);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders.Where(o => o.UpdatedAt >= Start)), ExpectedRows.Of(h.Landed()));
        Assert.Equal(mode == ShopifyReadMode.Bulk ? 1 : 0, h.Emulator.BulkOperationsStarted);
        Assert.Equal(h.Emulator.Orders.Max(o => o.UpdatedAt), (await h.CheckpointAsync()).UpdatedAt);
    }

    private static EmulatedOrder Sendable(IEnumerable<EmulatedOrder> orders) => orders.First(IsSendable);

    private static bool IsSendable(EmulatedOrder o) => o.CancelledAt is null && !o.Test && o.Lines.Any(l => l.CurrentQuantity > 0);
}
