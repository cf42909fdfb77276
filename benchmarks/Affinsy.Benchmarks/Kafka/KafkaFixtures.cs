using System.Collections.Concurrent;
using System.Globalization;
using Affinsy.Reference;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>
/// What the measured pipeline runs against: a mock broker and an unthrottled reference server, in this process
/// (<c>--fixtures inline</c>) or in a child (<c>--fixtures process</c>, holding the broker with the whole backlog, the
/// producer and the server, so this process's memory is the consumer's and the sink's alone, as deployed).
/// </summary>
internal sealed class KafkaFixtures : IAsyncDisposable
{
    private KafkaBroker? broker;
    private ReferenceServer? server;
    private FixtureProcess? child;
    private List<string> topics = [];

    public string Bootstrap { get; private set; } = string.Empty;

    public Uri Api { get; private set; } = null!;

    public int Partitions { get; private set; }

    /// <summary>Orders produced before the clock (the backlog); the concurrent mode counts its own.</summary>
    public long Orders { get; private set; }

    /// <summary>Each measured partition's offset past its last message.</summary>
    public ConcurrentDictionary<TopicPartition, long> FinalOffsets { get; } = new();

    /// <summary>The warm-up topic's final offsets; empty without a warm-up.</summary>
    public ConcurrentDictionary<TopicPartition, long> WarmOffsets { get; private set; } = new();

    /// <summary>The in-process broker (null with <c>--fixtures process</c>).</summary>
    public KafkaBroker? Broker => broker;

    public IReadOnlyList<string> Topics => topics;

    public static async Task<KafkaFixtures> StartAsync(KafkaRunOptions options, string dataDir)
    {
        var fixtures = new KafkaFixtures { topics = options.Topics };
        if (options.SeparateFixtures)
        {
            fixtures.child = await FixtureProcess.StartAsync(
                ["kafka", "--messages", Text(options.Messages), "--format", options.Format, "--topics", Text(options.TopicCount), "--warmup", Text(options.Warmup)],
                CancellationToken.None);
            var ready = fixtures.child.Ready;
            fixtures.Bootstrap = ready.GetProperty("bootstrap").GetString()!;
            fixtures.Api = new Uri(ready.GetProperty("api").GetString()!);
            fixtures.Orders = ready.GetProperty("orders").GetInt64();
            fixtures.Partitions = ready.GetProperty("partitions").GetInt32();
            KafkaCommand.ReadOffsets(ready.GetProperty("final"), fixtures.FinalOffsets);
            KafkaCommand.ReadOffsets(ready.GetProperty("warm"), fixtures.WarmOffsets);
            return fixtures;
        }

        fixtures.broker = await KafkaBroker.StartAsync(CancellationToken.None);
        fixtures.Partitions = await KafkaBenchProducer.CreateTopicsAsync(fixtures.broker, fixtures.topics);
        fixtures.server = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(dataDir, "server"));
        (fixtures.Bootstrap, fixtures.Api) = (fixtures.broker.BootstrapServers, fixtures.server.ApiBase);
        if (options.Warmup > 0)
        {
            fixtures.WarmOffsets = await KafkaBenchProducer.ProduceWarmUpAsync(fixtures.broker, options.Format, options.Warmup);
        }

        return fixtures;
    }

    /// <summary>The backlog mode with inline fixtures: every message produced, and kept by retention, before the clock.</summary>
    public void ProduceBacklog(KafkaRunOptions options)
    {
        if (!options.Backlog || broker is null)
        {
            return;
        }

        using (var producer = KafkaBenchProducer.CreateProducer(broker))
        {
            Orders = KafkaBenchProducer.Produce(producer, topics, options.Messages, options.Format, 0, string.Empty, null, FinalOffsets);
        }

        KafkaBenchChecks.EnsureNothingExpired(broker, topics, FinalOffsets);
    }

    /// <summary>
    /// What retention expired, and the server's rows checked against the <paramref name="orders"/> produced (lost,
    /// duplicated; 0 and 0 with <c>--server none</c>); with a child, its figures and its peak working set.
    /// </summary>
    public async Task<(long Expired, long Lost, long Duplicated, double? FixturePeakMb)> CheckAsync(KafkaRunOptions options, long orders)
    {
        var noServer = options.ServerMode == "none";
        if (child is not null)
        {
            // The child counts what its broker expired and checks its server's rows against what it produced.
            using var stats = await child.StatsAsync(CancellationToken.None);
            var root = stats.RootElement;
            var (lost, duplicated) = noServer ? (0L, 0L) : (root.GetProperty("lost").GetInt64(), root.GetProperty("duplicated").GetInt64());
            return (root.GetProperty("expired").GetInt64(), lost, duplicated, root.GetProperty("peak_working_set_mb").GetDouble());
        }

        var expired = KafkaBenchChecks.ExpiredByRetention(broker!, topics);
        var (inlineLost, inlineDuplicated) = noServer ? (0L, 0L) : KafkaBenchChecks.Verify(server!, orders, !options.Backlog);
        if (inlineLost > 0 && Environment.GetEnvironmentVariable("AFFINSY_BENCH_DEBUG") == "1")
        {
            using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker!.BootstrapServers, GroupId = "probe" }).Build();
            foreach (var partition in topics.SelectMany(broker.TopicPartitions))
            {
                var marks = probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
                await Console.Error.WriteLineAsync($"{partition}: low {marks.Low} high {marks.High}");
            }
        }

        return (expired, inlineLost, inlineDuplicated, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (child is not null)
        {
            await child.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
