using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>Pins what the tests rely on from the cluster they run against (usually librdkafka's mock cluster).</summary>
public sealed class MockClusterTests
{
    [Fact]
    public async Task A_group_consumer_resumes_after_its_committed_offset()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await KafkaBroker.StartAsync(ct);
        var partitions = await broker.CreateTopicAsync("probe", 2, ct);
        Assert.True(partitions >= 2);
        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition("probe", new Partition(i % 2)), new Message<string?, string> { Key = "k", Value = $"m{i}" }, ct);
            }
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "probe-group",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        };
        var first = new List<string>();
        using (var consumer = new ConsumerBuilder<string?, string>(config).Build())
        {
            consumer.Subscribe("probe");
            while (first.Count < 6)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } r)
                {
                    first.Add(r.Message.Value);
                    consumer.Commit(r);
                }
            }

            consumer.Close();
        }

        var second = new List<string>();
        using (var consumer = new ConsumerBuilder<string?, string>(config).Build())
        {
            consumer.Subscribe("probe");
            while (second.Count < 4)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } r)
                {
                    second.Add(r.Message.Value);
                }
            }

            consumer.Close();
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}").Order(), first.Concat(second).Order());
        Assert.Equal(KafkaBrokerKind.Mock, broker.Kind);
    }
}
