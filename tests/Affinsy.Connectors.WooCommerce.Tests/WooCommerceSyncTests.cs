using System.Globalization;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.WooCommerce;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class WooCommerceSyncTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_progress_counts_the_orders_read_against_the_stores_X_WP_Total()
    {
        await using var harness = await WooSyncHarness.StartAsync(240, Token);
        var seen = new List<SourceProgress>();

        var result = await harness.SyncAsync(Token, new Recorder(p =>
        {
            if (p.Source is { } source)
            {
                lock (seen)
                {
                    seen.Add(source);
                }
            }
        }));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var matching = harness.Store.Orders.Count(o => harness.Options.Statuses.Contains(o.Status));
        Assert.Contains(new SourceProgress(matching, matching), seen);
        Assert.Contains(seen, p => p.Done < p.Total); // known before the end, so the line can show an ETA
        Assert.All(seen, p => Assert.Equal(matching, p.Total));
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    [Fact]
    public async Task The_full_history_lands_exactly_the_sold_quantities_at_the_paid_prices()
    {
        await using var harness = await WooSyncHarness.StartAsync(240, Token);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var expected = WooSyncHarness.Expected(harness.Store.Orders);
        Assert.Equal(expected, harness.Landed());

        // The seed has what the mapping must handle; a change to it that removed them would make this test weaker.
        var sold = harness.Store.Orders.Where(o => o.Status is "processing" or "completed" or "on-hold").ToList();
        Assert.Contains(sold, o => o.CustomerId == 0 && o.Email.Length > 0);
        Assert.Contains(sold, o => o.CustomerId == 0 && o.Email.Length == 0);
        Assert.Contains(sold, o => o.Refunds.Count > 0);
        Assert.Contains(harness.Store.Orders, o => o.Status is "cancelled" or "refunded" or "failed" or "trash" or "checkout-draft");

        // Refund objects are fetched only for the orders whose summary lists refunds.
        Assert.Equal(sold.Count(o => o.Refunds.Count > 0), harness.Store.Requests.Count(r => r.Path.EndsWith("/refunds", StringComparison.Ordinal)));

        var checkpoint = await harness.CheckpointAsync(Token);
        var last = sold.Max(o => o.ModifiedGmt);
        Assert.Equal(new DateTimeOffset(last, TimeSpan.Zero), checkpoint!.ModifiedGmt);
        Assert.Equal(sold.Where(o => o.ModifiedGmt == last).Select(o => o.Id).Order(), checkpoint.Ids.Order());
    }

    [Fact]
    public async Task A_second_sync_reads_only_the_changes_and_the_lookback_window()
    {
        await using var harness = await WooSyncHarness.StartAsync(160, Token);
        await harness.SyncAsync(Token);
        var watermark = (await harness.CheckpointAsync(Token))!.ModifiedGmt.UtcDateTime;
        var changed = harness.Store.Orders.Where(o => o.Status == "completed" && o.Refunds.Count == 0).Take(2).ToList();
        foreach (var order in changed)
        {
            harness.Store.Modify(order.Id, watermark.AddHours(1), o => o.Lines[0].Quantity = 7);
        }

        harness.Store.Add(NewOrder(9_001, watermark.AddHours(2)));
        var before = harness.Store.Requests.Count;

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        var lookbackStart = watermark - TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1);
        var reread = harness.Store.Orders.Count(o => o.Status is "processing" or "completed" or "on-hold"
            && ((o.ModifiedGmt > lookbackStart && o.ModifiedGmt < watermark) || o.ModifiedGmt > watermark));
        Assert.Equal(reread, result.OrdersRead);
        var first = harness.Store.Requests.Skip(before).First(r => r.Path.EndsWith("/orders", StringComparison.Ordinal));
        Assert.Contains("modified_after=" + Uri.EscapeDataString(lookbackStart.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)), first.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modification_saved_with_an_earlier_time_is_caught_within_the_lookback_and_not_beyond()
    {
        await using var harness = await WooSyncHarness.StartAsync(160, Token);
        await harness.SyncAsync(Token);
        var watermark = (await harness.CheckpointAsync(Token))!.ModifiedGmt.UtcDateTime;
        var candidates = harness.Store.Orders.Where(o => o.Status == "completed" && o.Refunds.Count == 0 && o.ModifiedGmt < watermark.AddHours(-1)).ToList();
        var (late, tooLate) = (candidates[0], candidates[1]);
        harness.Store.Modify(late.Id, watermark.AddMinutes(-5), o => o.Lines[0].Quantity = 9);
        harness.Store.Modify(tooLate.Id, watermark.AddMinutes(-30), o => o.Lines[0].Quantity = 8);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var landed = harness.Landed();
        Assert.Equal(9, landed.Single(r => r.OrderId == Id(late) && r.ProductName == late.Lines[0].Name).Quantity);
        Assert.NotEqual(8, landed.Single(r => r.OrderId == Id(tooLate) && r.ProductName == tooLate.Lines[0].Name).Quantity);
    }

    [Fact]
    public async Task Answers_503_with_Retry_After_and_a_host_rate_limit_are_waited_out()
    {
        await using var harness = await WooSyncHarness.StartAsync(80, Token);
        harness.Store.FailNext(3, 503, retryAfterSeconds: 1);
        harness.Store.HostRateLimit = 4;
        harness.Store.RateWindow = TimeSpan.FromMilliseconds(100);

        // A retry waits at least one host window (Retry-After is capped there): with a page's refund reads all
        // started at once, 20 ms waits could spend a request's 8 attempts inside a window that stays full.
        harness.TuneClient = o => o with { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(100) };
        var result = await harness.SyncAsync(Token);

        Assert.True(result.Outcome == SyncOutcome.Completed, $"{result.Outcome}: {result.Error}");
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        Assert.True(harness.Store.RateLimitViolations > 0, "the host limit was never hit: the test no longer exercises 429");
    }

    [Fact]
    public async Task A_request_that_never_answers_times_out_and_is_retried()
    {
        await using var harness = await WooSyncHarness.StartAsync(40, Token);
        harness.Options = harness.Options with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        harness.Store.StallNext(1);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
    }

    [Fact]
    public async Task A_sync_cancelled_mid_history_resumes_from_its_checkpoint_without_loss()
    {
        await using var harness = await WooSyncHarness.StartAsync(100, Token);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        harness.Store.BeforeOrdersAnswer = async (_, aborted) =>
        {
            if (Interlocked.Increment(ref calls) == 4)
            {
                held.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
            }
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = harness.SyncAsync(stop.Token);

        // Stop once a checkpoint is saved: an acknowledged request alone may not complete a batch (two are in flight).
        await held.Task.WaitAsync(Token);
        await harness.FirstCheckpointSaved.WaitAsync(Token);
        await stop.CancelAsync();
        var cancelled = await first;
        harness.Store.BeforeOrdersAnswer = null;
        var checkpoint = await harness.CheckpointAsync(Token);
        var before = harness.Store.Requests.Count;

        var resumed = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Cancelled, cancelled.Outcome);
        Assert.NotNull(checkpoint);
        Assert.Equal(SyncOutcome.Completed, resumed.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        var firstResumed = harness.Store.Requests.Skip(before).First(r => r.Path.EndsWith("/orders", StringComparison.Ordinal));
        Assert.Contains("modified_after=", firstResumed.Query, StringComparison.Ordinal);
        var sold = harness.Store.Orders.Count(o => o.Status is "processing" or "completed" or "on-hold");
        Assert.True(resumed.OrdersRead < sold, $"the resumed sync read {resumed.OrdersRead} of {sold} orders: it started over");
    }

    [Fact]
    public async Task An_order_modified_while_the_history_is_paged_shifts_no_other_order_out_of_the_read()
    {
        await using var harness = await WooSyncHarness.StartAsync(120, Token);

        // The order is sent twice in one run (old and new version), with the sink's default two requests in flight:
        // the sink must land the newer version last (it holds a request back while an earlier one carries the same order).
        var firstOnPageOne = harness.Store.Orders
            .Where(o => o.Status is "processing" or "completed" or "on-hold")
            .OrderBy(o => o.ModifiedGmt).ThenBy(o => o.Id)
            .First(o => o.Refunds.Count == 0);
        var end = harness.Store.Orders.Max(o => o.ModifiedGmt).AddHours(1);
        var calls = 0;
        harness.Store.BeforeOrdersAnswer = (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                harness.Store.Modify(firstOnPageOne.Id, end, o => o.Lines[0].Quantity = 6);
            }

            return Task.CompletedTask;
        };

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
    }

    private static string Id(EmulatedOrder order) => order.Id.ToString(CultureInfo.InvariantCulture);

    private static EmulatedOrder NewOrder(long id, DateTime at)
    {
        var order = new EmulatedOrder { Id = id, Number = "WC-NEW", Status = "processing", CustomerId = 3, Email = "c3@example.com", CreatedGmt = at, ModifiedGmt = at, PaidGmt = at };
        order.Lines.Add(new EmulatedLine { Id = 77_000_001, Name = "Gift card", ProductId = 99, Quantity = 1, Subtotal = 25m, Total = 25m });
        return order;
    }
}
