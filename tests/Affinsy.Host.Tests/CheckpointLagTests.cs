using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Telemetry;
using Affinsy.Host.Operations;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class CheckpointLagTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly string pipeline = "lag-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_lag_counts_from_the_newest_order_up_to_the_saved_checkpoint_not_from_batches_still_open()
    {
        using var metrics = new PrometheusMetrics();
        var time = new FakeTimeProvider(Now);
        var lag = new CheckpointLag(pipeline, time);
        var first = Batch("1", Now.AddHours(-3), Now.AddHours(-2));
        var second = Batch("2", Now.AddMinutes(-10));
        var third = Batch(null, Now.AddMinutes(-5)); // no checkpoint of its own
        var fourth = Batch("4", Now.AddMinutes(-30)); // older orders: the lag never moves backwards

        lag.Read(first);
        lag.Read(second);
        lag.Read(third);
        lag.Read(fourth);
        var beforeAnySave = await LagAsync(metrics);
        lag.Saved(first.Checkpoint!);
        var afterFirst = await LagAsync(metrics);
        lag.Saved(fourth.Checkpoint!);
        var afterFourth = await LagAsync(metrics);

        Assert.Null(beforeAnySave);
        Assert.Equal(TimeSpan.FromHours(2).TotalSeconds, afterFirst);
        Assert.Equal(TimeSpan.FromMinutes(5).TotalSeconds, afterFourth);
    }

    [Fact]
    public async Task Source_update_time_wins_over_the_order_date()
    {
        using var metrics = new PrometheusMetrics();
        var time = new FakeTimeProvider(Now);
        var lag = new CheckpointLag(pipeline, time);
        var order = new Order("u1", null, Now.AddDays(-30), null, [new LineItem("tea", 1, 1)]) { SourceUpdatedAt = Now.AddMinutes(-1) };
        var batch = new NormalizedBatch([order], [], new Checkpoint("u"));

        lag.Read(batch);
        lag.Saved(batch.Checkpoint!);

        Assert.Equal(60, await LagAsync(metrics));
    }

    private async Task<double?> LagAsync(PrometheusMetrics metrics) =>
        (await PrometheusScrape.ParseAsync(metrics)).Named("affinsy_checkpoint_lag_seconds", pipeline).SingleOrDefault()?.Value;

    private static NormalizedBatch Batch(string? checkpoint, params DateTimeOffset[] dates) =>
        new(
            [.. dates.Select((d, i) => new Order($"{checkpoint}-{i}", null, d, null, [new LineItem("tea", 1, 1)]))],
            [],
            checkpoint is null ? null : new Checkpoint(checkpoint));
}
