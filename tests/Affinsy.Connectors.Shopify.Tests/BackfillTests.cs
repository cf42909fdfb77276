using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class BackfillTests
{
    [Fact]
    public async Task Bulk_backfill_lands_exactly_the_expected_rows()
    {
        await using var h = await ShopifyHarness.StartAsync();

        var result = await h.SyncAsync(ShopifyReadMode.Bulk);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(1, h.Emulator.BulkOperationsStarted);
        var checkpoint = await h.CheckpointAsync();
        Assert.Null(checkpoint.BulkOperationId);
        Assert.Equal(ShopifyHarness.Now, checkpoint.UpdatedAt);
    }

    [Fact]
    public async Task Bulk_batches_report_progress_against_the_exports_object_count()
    {
        await using var h = await ShopifyHarness.StartAsync();
        // Shopify counts every object of the export (each order and each line item: BulkOperation.objectCount in the
        // Admin GraphQL reference); the emulator's result file holds one line per object.
        var objects = h.Emulator.Orders.Sum(o => 1 + o.Lines.Count);
        // The emulator runs the export on its virtual clock; the source polls it on the same one.
        var source = new ShopifyOrderSource(h.Options() with { PageSize = 25 }, SourceContext.ForTesting("shop") with { TimeProvider = h.Clock });

        var seen = new List<SourceProgress>();
        await foreach (var batch in source.ReadAsync(null, TestContext.Current.CancellationToken))
        {
            if (batch.Progress is { } progress)
            {
                seen.Add(progress);
            }
        }

        Assert.True(seen.Count > 2, $"{seen.Count} batches with progress");
        Assert.All(seen, p => Assert.Equal(objects, p.Total));
        Assert.Equal(seen.Select(p => p.Done).Order(), seen.Select(p => p.Done)); // never goes back
        Assert.True(seen[0].Done < objects); // known before the end, so the line can show an ETA
        Assert.Equal(objects, seen[^1].Done);
    }

    [Fact]
    public async Task GraphQL_backfill_lands_the_same_rows_without_a_single_throttle_violation()
    {
        // A bucket of 400 points restoring 50/s against pages asking 152: the third page onwards must wait.
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 300, CostBucket = 400, CostRestorePerSecond = 50 });

        var result = await h.SyncAsync(h.Options(ShopifyReadMode.GraphQL) with { PageSize = 50 });

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(0, h.Emulator.ThrottleViolations);
        Assert.True(h.Clock.Elapsed > TimeSpan.FromSeconds(2), $"never waited for the bucket ({h.Clock.Elapsed})");
        Assert.Equal(6, h.Emulator.GraphQLRequests);
        Assert.Equal(0, h.Emulator.BulkOperationsStarted);
        Assert.Equal(h.Emulator.Orders.Max(o => o.UpdatedAt), (await h.CheckpointAsync()).UpdatedAt);
    }

    [Fact]
    public async Task Rest_backfill_pages_by_link_and_paces_from_the_call_limit_header()
    {
        // 30 pages against a bucket of 4 calls leaking 0.2 a second: only pacing avoids 429s.
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 300, CallBucket = 4 });

        var result = await h.SyncAsync(h.Options(ShopifyReadMode.Rest) with { PageSize = 10 });

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(0, h.Emulator.ThrottleViolations);
        Assert.Equal(30, h.Emulator.RestRequests);
    }

    [Fact]
    public async Task Injected_THROTTLED_answers_are_waited_out_and_retried()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 120 });
        h.Emulator.ThrottleNextQueries(3);

        var result = await h.SyncAsync(h.Options(ShopifyReadMode.GraphQL) with { PageSize = 50 });

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Equal(3 + 3, h.Emulator.GraphQLRequests);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 50 });
        h.Emulator.FailNextRequests(3, 503);

        var result = await h.SyncAsync(ShopifyReadMode.GraphQL);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.True(h.Clock.Elapsed >= TimeSpan.FromSeconds(1 + 2 + 4), $"backoff waited only {h.Clock.Elapsed}");
    }
}
