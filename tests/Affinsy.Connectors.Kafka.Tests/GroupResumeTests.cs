using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class GroupResumeTests
{
    [Fact]
    public async Task A_consumer_stopped_mid_stream_and_restarted_loses_and_double_counts_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        var expected = new Dictionary<string, string>();
        var first = new List<(string, string)>();
        for (var i = 0; i < 200; i++)
        {
            first.Add(($"o{i}", KafkaSyncHarness.OrderJson($"o{i}", "c", ("Tea", 1m, 1 + (i % 4)))));
            expected[$"o{i}"] = KafkaSyncHarness.Row($"o{i}", "Tea", 1m, 1 + (i % 4), "c");
        }

        await harness.ProduceAsync("orders", first, ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stopAfterSome = new SyncProgressTrigger(p => p.OrdersSent >= 50, stop);
        var streaming = harness.Options("orders", "g5") with { Stream = true, BatchMaxOrders = 10 };
        var stopped = await harness.SyncAsync(streaming, stop.Token, stopAfterSome);
        Assert.Equal(SyncOutcome.Cancelled, stopped.Outcome);
        var committed = harness.Broker.CommittedOffsets("g5", "orders");
        Assert.True(committed.Values.Sum(o => Math.Max(0, o)) > 0, "the stopped consumer committed what was acknowledged");

        var second = new List<(string, string)>();
        for (var i = 150; i < 230; i++)
        {
            second.Add(($"o{i}", KafkaSyncHarness.OrderJson($"o{i}", "c", ("Tea", 1m, 7))));
            expected[$"o{i}"] = KafkaSyncHarness.Row($"o{i}", "Tea", 1m, 7, "c");
        }

        await harness.ProduceAsync("orders", second, ct);
        var resumed = await harness.SyncAsync(harness.Options("orders", "g5"), ct);

        Assert.Equal(SyncOutcome.Completed, resumed.Outcome);
        Assert.True(resumed.OrdersRead < 280, $"the restart resumed from the commits instead of re-reading everything (read {resumed.OrdersRead})");
        Assert.Equal(expected.Values.Order(StringComparer.Ordinal), harness.StoredRows());
        harness.AssertCommittedToEnd("g5", "orders");
    }

    [Fact]
    public async Task Two_streaming_members_of_one_group_share_the_partitions_and_together_land_everything()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        var messages = new List<(string, string)>();
        var expected = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            messages.Add(($"o{i}", KafkaSyncHarness.OrderJson($"o{i}", "c", ("Tea", 1m, 1 + (i % 4)))));
            expected.Add(KafkaSyncHarness.Row($"o{i}", "Tea", 1m, 1 + (i % 4), "c"));
        }

        await harness.ProduceAsync("orders", messages.Take(150), ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var allLanded = new SyncProgressTrigger(_ => harness.Server.Store.LoadLines("local", KafkaSyncHarness.Dataset).Count == 300, stop);
        var options = harness.Options("orders", "g6") with { Stream = true, BatchMaxOrders = 10 };

        var first = harness.SyncAsync(options, stop.Token, allLanded);
        var second = harness.SyncAsync(options, stop.Token, allLanded);
        await harness.ProduceAsync("orders", messages.Skip(150), ct);
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.Equal(Affinsy.Sink.Pipelines.SyncOutcome.Cancelled, r.Outcome));
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        Assert.True(results[0].OrdersRead > 0 && results[1].OrdersRead > 0, $"both members read ({results[0].OrdersRead}, {results[1].OrdersRead})");
    }

    /// <summary>Cancels a sync once its progress satisfies a condition.</summary>
    private sealed class SyncProgressTrigger(Func<SyncProgress, bool> condition, CancellationTokenSource stop) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            if (condition(value))
            {
                stop.Cancel();
            }
        }
    }
}
