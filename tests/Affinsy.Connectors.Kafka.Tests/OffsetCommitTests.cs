using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class OffsetCommitTests
{
    [Fact]
    public async Task Committed_offsets_follow_acknowledgements_and_never_pass_an_unacknowledged_batch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await ProduceToPartitionZeroAsync(harness, "orders", Enumerable.Range(0, 9).Select(i => KafkaSyncHarness.OrderJson($"o{i}", "c", ("Tea", 1m, 1))), ct);
        var options = harness.Options("orders", "g7") with { Stream = true, BatchMaxOrders = 3, CommitInterval = TimeSpan.Zero };
        var source = new KafkaOrderSource(options, SourceContext.ForTesting("kafka"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = new List<NormalizedBatch>();
        await using (var reading = source.ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token))
        {
            while (batches.Sum(b => b.Orders.Count) < 9 && await reading.MoveNextAsync())
            {
                batches.Add(reading.Current.Normalize());
            }

            Assert.True(batches.Count >= 3);
            Assert.Equal(-1001, harness.Broker.CommittedOffsets("g7", "orders")[0]); // nothing acknowledged, nothing committed

            var firstSafe = batches[0].Checkpoint!.As(KafkaCheckpoint.Json).Partitions["orders/0"];
            Assert.Equal(batches[0].Orders.Count, firstSafe);
            await source.AcknowledgeAsync(batches[0].Checkpoint!, ct); // by hand, as the pipeline would
            Assert.Equal(firstSafe, await CommittedAsync(harness, "g7", expected: firstSafe, ct));

            await source.AcknowledgeAsync(batches[^1].Checkpoint!, ct);
            Assert.Equal(9, await CommittedAsync(harness, "g7", expected: 9, ct));
            await stop.CancelAsync();
        }
    }

    [Fact]
    public async Task A_line_item_order_still_open_holds_the_committed_offset_at_its_first_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("lines", 4, ct);
        await ProduceToPartitionZeroAsync(harness, "lines",
        [
            KafkaSyncHarness.LineJson("open", "c", "Tea", 1m, 1),
            KafkaSyncHarness.LineJson("done", "c", "Jam", 2m, 1),
            KafkaSyncHarness.EndJson("done"),
        ], ct);
        var options = harness.Options("lines", "g8", "line_item") with { Stream = true, CommitInterval = TimeSpan.Zero, OrderIdle = TimeSpan.FromHours(1) };
        var source = new KafkaOrderSource(options, SourceContext.ForTesting("kafka"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var reading = source.ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
        NormalizedBatch batch;
        do
        {
            Assert.True(await reading.MoveNextAsync());
            batch = reading.Current.Normalize();
        }
        while (batch.Orders.Count == 0);

        Assert.Equal("done", Assert.Single(batch.Orders).OrderId);
        Assert.Equal(0, batch.Checkpoint!.As(KafkaCheckpoint.Json).Partitions["lines/0"]);
        await source.AcknowledgeAsync(batch.Checkpoint!, ct); // by hand, as the pipeline would
        Assert.Equal(0, await CommittedAsync(harness, "g8", expected: 0, ct, topic: "lines"));
        await stop.CancelAsync();
    }

    private static async Task ProduceToPartitionZeroAsync(KafkaSyncHarness harness, string topicName, IEnumerable<string> values, CancellationToken ct)
    {
        using var producer = harness.Broker.CreateProducer();
        var topic = new TopicPartition(topicName, new Partition(0));
        foreach (var value in values)
        {
            await producer.ProduceAsync(topic, new Message<string?, string> { Key = "k", Value = value }, ct);
        }
    }

    /// <summary>Reads partition 0's committed offset until it reaches <paramref name="expected"/> or 10 s pass.</summary>
    private static async Task<long> CommittedAsync(KafkaSyncHarness harness, string group, long expected, CancellationToken ct, string topic = "orders")
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        long committed;
        do
        {
            ct.ThrowIfCancellationRequested();
            committed = harness.Broker.CommittedOffsets(group, topic)[0];
            await Task.Yield();
        }
        while (committed != expected && committed < expected && DateTimeOffset.UtcNow < deadline);
        return committed;
    }
}
