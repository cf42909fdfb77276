using System.Globalization;
using Confluent.Kafka;

namespace Affinsy.Emulators.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster (<c>test.mock.num.brokers</c>, Confluent.Kafka's bundled librdkafka), held open
/// by an admin client whose metadata names the mock brokers' loopback ports; other clients, in this process or another,
/// bootstrap from those. The cluster lives as long as this object.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IAdminClient holder;

    private KafkaMockCluster(IAdminClient holder, string bootstrapServers)
    {
        this.holder = holder;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>What clients put in <c>bootstrap.servers</c>: every mock broker's loopback address.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers.</summary>
    public static KafkaMockCluster Start(int brokers)
    {
        var config = new AdminClientConfig { BootstrapServers = "localhost:1" };
        config.Set("test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture));
        var holder = new AdminClientBuilder(config).Build();
        var metadata = holder.GetMetadata(TimeSpan.FromSeconds(10));
        var servers = string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        return new KafkaMockCluster(holder, servers);
    }

    /// <summary>A producer with string keys and values, acks=all, idempotent.</summary>
    public IProducer<string?, string> CreateProducer() => CreateProducer(BootstrapServers);

    /// <summary>A producer with string keys and values, acks=all, idempotent, for any cluster.</summary>
    public static IProducer<string?, string> CreateProducer(string bootstrapServers) =>
        new ProducerBuilder<string?, string>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 1,
        }).Build();

    /// <summary>
    /// Creates <paramref name="topic"/> and returns its partition count. The mock cluster has no controller for
    /// CreateTopics: it creates a topic when a producer first asks for its metadata, with its default partition count (4).
    /// </summary>
    public int CreateTopic(string topic)
    {
        using var producer = CreateProducer();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    public void Dispose() => holder.Dispose();
}
