using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Emulators.Shopify;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// A REST pass pages by <c>since_id</c>, in id order (shopify.dev changelog 2017-09-18: since_id sorts by order id). An
/// order the pass has already passed that changes while the pass runs keeps its id and is not listed again, so the
/// watermark the pass ends with must not run past the pass's start.
/// </summary>
public sealed class RestPassTests
{
    [Fact]
    public async Task An_order_already_passed_that_changes_during_a_long_pass_is_caught_by_the_next_sync()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 100 });
        var options = h.Options(ShopifyReadMode.Rest) with { PageSize = 1 };
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync(options)).Outcome);
        h.Clock.Advance(TimeSpan.FromHours(10));
        var kept = h.Emulator.Orders.Where(o => o.CancelledAt is null && !o.Test && o.Lines.Any(l => l.CurrentQuantity > 0)).OrderBy(o => o.Id).ToList();
        var (early, late) = (kept[0], kept[^1]);
        foreach (var order in new[] { early, late })
        {
            h.Emulator.Update(order.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 1 })] }, h.Clock.GetUtcNow());
        }

        var token = TestContext.Current.CancellationToken;
        var began = h.Clock.GetUtcNow();
        var source = new ShopifyOrderSource(options, SourceContext.ForTesting("shop") with { TimeProvider = h.Clock });
        Checkpoint? last = null;
        var pages = 0;
        await foreach (var batch in source.ReadAsync(await h.Checkpoints.GetAsync("shop", token), token))
        {
            last = batch.Checkpoint ?? last;
            if (++pages == 1)
            {
                // After the first page (which held the lowest id): the early order changes, and an hour later the late one,
                // not read yet, changes again. The pass sees the late one's change, an hour after the early one's.
                h.Clock.Advance(TimeSpan.FromHours(1));
                h.Emulator.Update(early.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 2 })] }, h.Clock.GetUtcNow());
                h.Clock.Advance(TimeSpan.FromHours(1));
                h.Emulator.Update(late.Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 2 })] }, h.Clock.GetUtcNow());
            }
        }

        Assert.True(pages > 1, "the pass must take more than one page");
        await h.Checkpoints.SaveAsync("shop", last!, token);
        Assert.Equal(began, (await h.CheckpointAsync()).UpdatedAt); // capped at the pass's start, not the late order's change

        var next = await h.SyncAsync(options);

        Assert.True(next.Outcome == SyncOutcome.Completed, next.Error);
        var id = early.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            ExpectedRows.For(h.Emulator.Orders).Where(r => r.StartsWith(id + "|", StringComparison.Ordinal)),
            ExpectedRows.Of(h.Landed()).Where(r => r.StartsWith(id + "|", StringComparison.Ordinal)));
    }
}
