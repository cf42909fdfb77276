using System.Collections.Concurrent;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class ConsumerLagTests
{
    [Fact]
    public async Task Lag_is_reported_per_owned_partition_and_is_zero_once_a_sync_read_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("lagged", 4, ct);
        await harness.ProduceAsync("lagged", Enumerable.Range(0, 40).Select(i => ($"o{i}", KafkaSyncHarness.OrderJson($"o{i}", "c", ("Tea", 1m, 1)))), ct);
        var partitions = harness.Broker.TopicPartitions("lagged").Select(p => p.Partition.Value).ToHashSet();
        var observed = new ConcurrentQueue<KafkaPartitionLag>();
        KafkaOrderSource? source = null;

        var result = await harness.SyncAsync(
            harness.Options("lagged", "glag") with { LagInterval = TimeSpan.FromMilliseconds(20) },
            ct,
            configure: s =>
            {
                source = s;
                s.LagMeasured = observed.Enqueue;
            });

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.NotEmpty(observed);
        Assert.All(observed, lag => Assert.Equal("lagged", lag.Topic));
        Assert.All(observed, lag => Assert.True(lag.Lag is >= 0 and <= 40, $"lag {lag.Lag} out of range"));
        var last = source!.CurrentLag;
        Assert.Equal(partitions, last.Select(l => l.Partition).ToHashSet());
        Assert.All(last, lag => Assert.Equal(0, lag.Lag));
    }
}
