using Affinsy.Core.Configuration;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class PlanCapTests
{
    private static SinkOptions With(SinkOptions o, PlanCapPolicy policy) => new()
    {
        BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger,
        RequestTimeout = o.RequestTimeout, MaxLineItemsPerRequest = 4, MaxInFlight = 1, OnPlanCap = policy,
    };

    private static Core.Sources.OrderBatch[] TwelveRowsInThreeBatches() =>
        [.. Enumerable.Range(0, 3).Select(b => Orders.Batch($"{b}", Orders.WithLines($"o{b}", 4)))];

    [Fact]
    public async Task Warn_completes_the_sync_and_reports_the_rejected_rows_and_the_warning()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { RowCap = 6 }, tune: o => With(o, PlanCapPolicy.Warn));

        var result = await harness.RunAsync(new ListSource(TwelveRowsInThreeBatches()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(6, result.Inserted);
        Assert.Equal(6, result.Rejected);
        Assert.Equal("Plan row cap reached: new rows were skipped.", Assert.Single(result.Warnings));
        Assert.Equal("2", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task Fail_stops_the_sync_with_a_clear_error_and_does_not_checkpoint_the_request_that_hit_the_cap()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { RowCap = 6 }, tune: o => With(o, PlanCapPolicy.Fail));

        var result = await harness.RunAsync(new ListSource(TwelveRowsInThreeBatches()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.IsType<PlanCapExceededException>(result.Exception);
        Assert.Contains("on_plan_cap", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, result.Rejected);
        Assert.Equal("0", harness.Checkpoints.Current?.Value);
        Assert.Equal(2, harness.Remote.Requests.Count);
    }
}
