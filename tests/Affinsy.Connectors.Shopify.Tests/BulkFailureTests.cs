using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class BulkFailureTests
{
    [Fact]
    public async Task A_failed_bulk_operation_is_a_clear_error_and_the_next_run_starts_a_new_one()
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.FailNextBulkOperation("INTERNAL_SERVER_ERROR");

        var failed = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("ended FAILED", failed.Error, StringComparison.Ordinal);
        Assert.Contains("INTERNAL_SERVER_ERROR", failed.Error, StringComparison.Ordinal);
        Assert.Contains("the next run starts a new export", failed.Error, StringComparison.Ordinal);
        Assert.Empty(h.Landed());
        Assert.Null((await h.CheckpointAsync()).BulkOperationId);

        var rerun = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, rerun.Outcome);
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task A_run_that_dies_while_polling_resumes_the_same_bulk_operation()
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.FailRequestsAfterNextBulkStart(50, 500);

        var died = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, died.Outcome);
        var checkpoint = await h.CheckpointAsync();
        Assert.Equal("gid://shopify/BulkOperation/1", checkpoint.BulkOperationId);
        h.Emulator.ClearRequestFaults();

        var resumed = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, resumed.Outcome);
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Null((await h.CheckpointAsync()).BulkOperationId);
    }

    [Fact]
    public async Task A_run_stopped_after_some_batches_resumes_after_the_acknowledged_orders()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 1000 });
        var stop = h.Checkpoints.CancelWhenSaved(c => c.BulkOrdersDone > 0);

        var died = await h.SyncUntilAsync(h.Options() with { PageSize = 50 }, stop);

        Assert.NotEqual(SyncOutcome.Completed, died.Outcome);
        var checkpoint = await h.CheckpointAsync();
        Assert.NotNull(checkpoint.BulkOperationId);
        Assert.InRange(checkpoint.BulkOrdersDone!.Value, 1, 999);

        var resumed = await h.SyncAsync(h.Options() with { PageSize = 50 });

        Assert.Equal(SyncOutcome.Completed, resumed.Outcome);
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.True(resumed.OrdersRead < ExpectedRows.For(h.Emulator.Orders).Select(r => r.Split('|')[0]).Distinct().Count(),
            "the resumed run re-sent orders that had already landed");
    }

    [Fact]
    public async Task A_download_that_breaks_keeps_the_operation_and_the_next_run_downloads_it_again()
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.BreakNextBulkDownload();

        var broke = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, broke.Outcome);
        Assert.Contains("run the sync again to download the same result", broke.Error, StringComparison.Ordinal);
        Assert.Empty(h.Landed());
        Assert.NotNull((await h.CheckpointAsync()).BulkOperationId);

        var rerun = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, rerun.Outcome);
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task A_finished_export_is_seen_within_a_quarter_of_its_duration_with_few_status_queries()
    {
        // Shopify takes 10 s (on the test's clock). Polling after 1 s doubling would see it only at 15 s; polling every
        // 250 ms would ask 40 times.
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 50, BulkDuration = TimeSpan.FromSeconds(10) });

        var result = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.InRange(h.Clock.Elapsed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12.75));
        Assert.InRange(h.Emulator.GraphQLRequests, 2, 25);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task A_bulk_operation_already_running_is_waited_for_before_ours_starts()
    {
        // Runs ten minutes: still running when the first sync gives up after its retries. One query at a time is allowed.
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 300, BulkDuration = TimeSpan.FromMinutes(10), ConcurrentBulkQueries = 1 });
        h.Emulator.FailRequestsAfterNextBulkStart(50, 500);
        Assert.Equal(SyncOutcome.Failed, (await h.SyncAsync()).Outcome);
        h.Emulator.ClearRequestFaults();

        // The checkpoint naming the running operation is lost: Shopify answers "already in progress".
        await h.Checkpoints.ResetAsync("shop", TestContext.Current.CancellationToken);
        var result = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        Assert.True(h.Clock.Elapsed >= TimeSpan.FromMinutes(20), $"did not wait for the running operation ({h.Clock.Elapsed})");
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }
}
