using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>
/// Orders whose status was never a sale are skipped by design and counted by reason, never dead-lettered. The emulated
/// store (WooStoreSeed) holds every status of WooCommerce's <c>wc_get_order_statuses()</c> plus trash and checkout-draft;
/// the expected counts are worked out here from the store's own orders.
/// </summary>
public sealed class SkipCountTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_read_with_statuses_never_sold_are_counted_by_reason_and_not_dead_lettered()
    {
        await using var harness = await WooSyncHarness.StartAsync(240, Token);
        harness.Options = harness.Options with
        {
            Statuses = ["completed", "processing", "on-hold", "cancelled", "refunded", "failed", "trash", "checkout-draft"],
        };

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var orders = harness.Store.Orders;
        var expected = new SkipCounts();
        expected.Add(SkipReason.Cancelled, orders.Count(o => o.Status == "cancelled"));
        expected.Add(SkipReason.Refunded, orders.Count(o => o.Status == "refunded"));
        expected.Add(SkipReason.StatusNotSold, orders.Count(o => o.Status is "failed" or "trash" or "checkout-draft"));
        Assert.Equal(expected, result.Skipped);
        Assert.True(expected[SkipReason.Cancelled] > 0 && expected[SkipReason.Refunded] > 0 && expected[SkipReason.StatusNotSold] > 0, expected.Describe());

        var skippedIds = orders.Where(o => o.Status is not ("completed" or "processing" or "on-hold")).Select(o => o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var letters = new List<DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync(WooSyncHarness.Pipeline, Token))
        {
            letters.Add(letter);
        }

        Assert.DoesNotContain(letters, l => l.OrderId is { } id && skippedIds.Contains(id));
        Assert.Equal(WooSyncHarness.Expected(orders), harness.Landed());
    }
}
