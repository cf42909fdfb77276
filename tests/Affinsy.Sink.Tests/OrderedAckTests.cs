using System.Net;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class OrderedAckTests
{
    [Fact]
    public async Task A_later_request_finishing_first_does_not_move_the_checkpoint_until_the_earlier_one_is_acknowledged()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { Hold = true }, tune: SyncHarness.OneBatchPerRequest);
        var token = TestContext.Current.CancellationToken;
        var secondAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new CallbackProgress(p =>
        {
            if (p.OrdersSent >= 1)
            {
                secondAcknowledged.TrySetResult();
            }
        });

        var run = harness.RunAsync(
            new ListSource([Orders.Batch("1", Orders.WithLines("a", 2)), Orders.Batch("2", Orders.WithLines("b", 2))]), progress, token);
        var arrivals = new[]
        {
            await harness.Remote.Arrivals.Reader.ReadAsync(token),
            await harness.Remote.Arrivals.Reader.ReadAsync(token),
        };
        var earlier = arrivals.Single(a => a.OrderIds.Contains("a"));
        var later = arrivals.Single(a => a.OrderIds.Contains("b"));

        later.Release();
        await secondAcknowledged.Task.WaitAsync(token);
        Assert.Empty(harness.Checkpoints.Saves);

        earlier.Release();
        var result = await run;

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal("2", harness.Checkpoints.Current?.Value);
        Assert.Equal(["2"], harness.Checkpoints.Saves);
    }

    [Fact]
    public async Task A_failed_request_leaves_the_checkpoint_at_the_last_fully_acknowledged_batch()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger,
            RequestTimeout = o.RequestTimeout, MaxLineItemsPerRequest = 2, MaxInFlight = 1, MaxAttempts = 2,
        });
        harness.Remote.Script = a => a.OrderIds.Contains("b")
            ? FakeAffinsy.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"Down.","request_id":"r"}""")
            : null;

        var result = await harness.RunAsync(new ListSource(
        [
            Orders.Batch("1", Orders.WithLines("a", 2)),
            Orders.Batch("2", Orders.WithLines("b", 2)),
            Orders.Batch("3", Orders.WithLines("c", 2)),
        ]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal("1", harness.Checkpoints.Current?.Value);
        Assert.DoesNotContain("2", harness.Checkpoints.Saves);
        Assert.DoesNotContain("3", harness.Checkpoints.Saves);
    }

    [Fact]
    public async Task A_resumed_sync_starts_from_the_saved_checkpoint()
    {
        using var harness = new SyncHarness();
        await harness.Checkpoints.SaveAsync("test-pipeline", new Core.Sources.Checkpoint("7"), TestContext.Current.CancellationToken);
        var source = new ListSource([Orders.Batch("8", Orders.WithLines("a", 1))]);

        await harness.RunAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("7", source.StartedFrom?.Value);
        Assert.Equal("8", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task Cancellation_stops_cleanly_and_keeps_the_last_safe_checkpoint()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { Hold = true }, tune: SyncHarness.OneBatchPerRequest);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var token = TestContext.Current.CancellationToken;
        var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new CallbackProgress(p =>
        {
            if (p.OrdersSent >= 1)
            {
                firstAcknowledged.TrySetResult();
            }
        });

        var run = harness.RunAsync(new ListSource(
        [
            Orders.Batch("1", Orders.WithLines("a", 2)),
            Orders.Batch("2", Orders.WithLines("b", 2)),
        ]), progress, cancel.Token);
        var first = await harness.Remote.Arrivals.Reader.ReadAsync(token);
        var second = await harness.Remote.Arrivals.Reader.ReadAsync(token);
        (first.OrderIds.Contains("a") ? first : second).Release();
        await firstAcknowledged.Task.WaitAsync(token);

        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(SyncOutcome.Cancelled, result.Outcome);
        Assert.Equal("1", harness.Checkpoints.Current?.Value);
    }
}
