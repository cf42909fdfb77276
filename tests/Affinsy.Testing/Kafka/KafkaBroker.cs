using System.Net.Sockets;
using Affinsy.Emulators.Kafka;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Testcontainers.Kafka;

namespace Affinsy.Testing.Kafka;

/// <summary>
/// A Kafka cluster for tests, chosen in this order: <c>KAFKA_BOOTSTRAP_SERVERS</c> when set; a Testcontainers
/// broker when a Docker engine answers; otherwise librdkafka's in-process mock cluster (<see cref="KafkaMockCluster"/>,
/// which the <c>emulate kafka</c> command ships).
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private readonly KafkaMockCluster? mockHolder;
    private readonly KafkaContainer? container;

    private KafkaBroker(string bootstrapServers, KafkaBrokerKind kind, KafkaMockCluster? mockHolder, KafkaContainer? container)
    {
        BootstrapServers = bootstrapServers;
        Kind = kind;
        this.mockHolder = mockHolder;
        this.container = container;
    }

    /// <summary>What clients put in <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Which kind of cluster this is.</summary>
    public KafkaBrokerKind Kind { get; }

    /// <summary>Starts (or finds) a cluster; never waits long for a Docker engine that is not there.</summary>
    public static async Task<KafkaBroker> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is { Length: > 0 } external)
        {
            return new KafkaBroker(external, KafkaBrokerKind.External, null, null);
        }

        if (await DockerEngine.AnswersAsync(cancellationToken))
        {
            var container = new KafkaBuilder("confluentinc/cp-kafka:7.6.1").Build();
            await container.StartAsync(cancellationToken);
            return new KafkaBroker(container.GetBootstrapAddress(), KafkaBrokerKind.Container, null, container);
        }

        return StartMock(brokers: 3);
    }

    /// <summary>Starts librdkafka's mock cluster with <paramref name="brokers"/> brokers.</summary>
    public static KafkaBroker StartMock(int brokers)
    {
        var mock = KafkaMockCluster.Start(brokers);
        return new KafkaBroker(mock.BootstrapServers, KafkaBrokerKind.Mock, mock, null);
    }

    /// <summary>
    /// Creates a topic and returns its partition count. The mock cluster has no controller for CreateTopics: it
    /// creates a topic when a producer first asks for its metadata, with its default partition count (4), which is
    /// returned instead of <paramref name="partitions"/>.
    /// </summary>
    public async Task<int> CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (mockHolder is not null)
        {
            return mockHolder.CreateTopic(topic);
        }

        using var client = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var replication = (short)Math.Min(3, client.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count);
        await client.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = replication }]);
        return partitions;
    }

    /// <summary>A producer with string keys and values, acks=all, idempotent.</summary>
    public IProducer<string?, string> CreateProducer() => KafkaMockCluster.CreateProducer(BootstrapServers);

    /// <summary>Reads every message of <paramref name="topic"/> currently below its high watermarks.</summary>
    public IReadOnlyList<ConsumeResult<string?, string>> ReadAll(string topic, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "affinsy-tests-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        var partitions = TopicPartitions(topic);
        var ends = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.High > marks.Low)
            {
                ends[partition.Partition.Value] = marks.High.Value;
                assignment.Add(new TopicPartitionOffset(partition, Offset.Beginning));
            }
        }

        var messages = new List<ConsumeResult<string?, string>>();
        consumer.Assign(assignment);
        while (ends.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            messages.Add(result);
            if (result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                ends.Remove(result.Partition.Value);
            }
        }

        return messages;
    }

    /// <summary>The committed offset of <paramref name="groupId"/> on each partition of <paramref name="topic"/> (-1001 when none).</summary>
    public IReadOnlyDictionary<int, long> CommittedOffsets(string groupId, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        return consumer.Committed(TopicPartitions(topic), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>Every partition of <paramref name="topic"/>.</summary>
    public IReadOnlyList<TopicPartition> TopicPartitions(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return [.. metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value)];
    }

    public async ValueTask DisposeAsync()
    {
        mockHolder?.Dispose();
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}

/// <summary>Where a <see cref="KafkaBroker"/> runs.</summary>
public enum KafkaBrokerKind
{
    /// <summary>Named by <c>KAFKA_BOOTSTRAP_SERVERS</c>.</summary>
    External,

    /// <summary>A Testcontainers broker.</summary>
    Container,

    /// <summary>librdkafka's in-process mock cluster.</summary>
    Mock,
}
