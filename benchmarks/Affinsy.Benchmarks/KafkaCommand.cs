using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Affinsy.Connectors.Kafka;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>kafka --messages N [--format affinsy|line_item] [--production backlog|concurrent] [--topics K] [--rate MSG_PER_S]
/// [--warmup N] [--server sqlite|none] [--max-line-items-per-request N]</c>: a streaming Kafka pipeline on librdkafka's
/// mock cluster (or <c>KAFKA_BOOTSTRAP_SERVERS</c>) into a reference server on a temporary SQLite file.
/// <para>
/// <c>backlog</c> (default): the N messages are produced (lz4-compressed batches) before the measured consumer starts,
/// then the clock runs from the first batch the consumer hands over to the checkpoint save that covers every message:
/// the drain rate of a backlog, the consumer's sustained capacity, with the producer off the measured path. Latency is
/// from a batch leaving the consumer to the save of a checkpoint that covers it. <c>concurrent</c>: the consumer runs
/// first and the messages are produced while it reads (the producer's CPU is in the process and reported); latency is
/// from a message's produce time to the covering save.
/// </para>
/// <para>
/// Both modes first run a warm-up pipeline (its own topic, group and dataset) through the same sender and server, so
/// the JIT's tiering and the pools are warm. Afterwards every stored row of the measured dataset is streamed from the
/// server and checked against the orders produced: missing rows are lost, extra or wrong rows are duplicated.
/// </para>
/// </summary>
internal sealed class KafkaCommand : IBenchmarkCommand
{
    private const string WarmTopic = "bench-warm";

    /// <summary>Produce-time samples for the latency of the concurrent mode: one message in this many.</summary>
    private const int LatencySampleEvery = 8;

    public string Name => "kafka";

    public string Description => "stream N Kafka messages through the Kafka source into a reference server";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var messages = options.Long("messages", 100_000);
        var format = options.String("format") ?? "affinsy";
        var rate = options.Double("rate", 0);
        if (format is not ("affinsy" or "line_item"))
        {
            throw new ArgumentException("--format must be affinsy or line_item");
        }

        if (options.String("parse-only") == "true")
        {
            return ParseOnly(messages, format);
        }

        var production = options.String("production") ?? "backlog";
        if (production is not ("backlog" or "concurrent"))
        {
            throw new ArgumentException("--production must be backlog or concurrent");
        }

        // The mock broker keeps at most 5 MB per partition (4 partitions per topic): the messages are spread over
        // enough topics that retention never deletes one before it is read, even when all of them wait (a backlog is
        // checked before the clock starts; what expired is reported in any case).
        var topicCount = (int)options.Long("topics", Math.Max(1, (messages + 249_999) / 250_000));
        var separate = (options.String("fixtures") ?? "inline") == "process";
        if (separate && production != "backlog")
        {
            throw new ArgumentException("--fixtures process needs --production backlog (the child produces the backlog before the clock starts)");
        }

        using var scratch = new TempDirectory();
        var dataDir = scratch.Path;
        var warmupCount = options.Long("warmup", 20_000);
        var serverMode = options.String("server") ?? "sqlite";
        KafkaBroker? broker = null;
        ReferenceServer? server = null;
        FixtureProcess? fixtures = null;
        var topics = Enumerable.Range(0, topicCount).Select(i => $"bench-orders-{i}").ToList();
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        var warmOffsets = new ConcurrentDictionary<TopicPartition, long>();
        var partitionCount = 0;
        var orders = 0L;
        string bootstrap;
        Uri api;
        if (separate)
        {
            // The broker (holding the whole backlog), the producer and the server in a child process: this process's
            // memory is the consumer's and the sink's alone, as deployed.
            fixtures = await FixtureProcess.StartAsync(
                ["kafka", "--messages", messages.ToString(CultureInfo.InvariantCulture), "--format", format, "--topics", topicCount.ToString(CultureInfo.InvariantCulture), "--warmup", warmupCount.ToString(CultureInfo.InvariantCulture)],
                CancellationToken.None);
            var ready = fixtures.Ready;
            bootstrap = ready.GetProperty("bootstrap").GetString()!;
            api = new Uri(ready.GetProperty("api").GetString()!);
            orders = ready.GetProperty("orders").GetInt64();
            partitionCount = ready.GetProperty("partitions").GetInt32();
            ReadOffsets(ready.GetProperty("final"), finalOffsets);
            ReadOffsets(ready.GetProperty("warm"), warmOffsets);
        }
        else
        {
            broker = await KafkaBroker.StartAsync(CancellationToken.None);
            partitionCount = await CreateTopicsAsync(broker, topics);
            server = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(dataDir, "server"));
            (bootstrap, api) = (broker.BootstrapServers, server.ApiBase);
            if (warmupCount > 0)
            {
                warmOffsets = await ProduceWarmUpAsync(broker, format, warmupCount);
            }
        }

        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(dataDir, "state.db"), TimeProvider.System, CancellationToken.None);
        using var deadLetters = new JsonlDeadLetterStore(Path.Combine(dataDir, "dead"));
        // --server none: no reference server, every request is read in full (the sink's serialization still runs) and
        // answered at once; shows how much of the CPU is the reference server's. lost/duplicated are then not checked.
        using var http = serverMode == "none" ? new HttpClient(new AnsweringHandler()) : new HttpClient();
        var sender = new AffinsySender(http, new SinkOptions
        {
            BaseUrl = api,
            ApiKey = ReferenceSettings.LocalDevKey,
            MaxLineItemsPerRequest = (int)options.Long("max-line-items-per-request", SinkOptions.ApiMaxLineItemsPerRequest),
            // The server above is unthrottled; the API's own 60 requests a minute would cap any run at 10,000 line
            // items a second, so the sink's gate is opened to match the server's.
            RequestsPerMinute = 1_000_000,
        });

        if (!warmOffsets.IsEmpty)
        {
            await WarmUpAsync(bootstrap, warmOffsets, sender, checkpoints, deadLetters, format);
        }

        var produced = new ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>>();
        if (production == "backlog" && broker is not null)
        {
            using (var backlogProducer = CreateProducer(broker))
            {
                orders = Produce(backlogProducer, topics, messages, format, 0, string.Empty, null, finalOffsets);
            }

            EnsureNothingExpired(broker, topics, finalOffsets);
        }

        var source = new KafkaOrderSource(new KafkaSourceOptions
        {
            BootstrapServers = bootstrap,
            Topics = topics,
            GroupId = "bench",
            Format = format,
            Stream = true,
            MaxUnacknowledged = (int)options.Long("max-unacknowledged", KafkaSourceOptions.DefaultMaxUnacknowledged),
            OrderIdle = TimeSpan.FromSeconds(5),
            CommitInterval = TimeSpan.FromSeconds(1),
        }, SourceContext.ForTesting("kafka-bench"));
        var timed = new TimedSource(source);
        var recorder = new RecordingStore(checkpoints);
        using var stop = new CancellationTokenSource();
        var allProduced = new TaskCompletionSource();
        if (production == "backlog")
        {
            allProduced.SetResult();
        }

        (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads)? cpuAtEnd = null;
        long? endTicks = null;
        var batchLatencies = new List<(double Ms, int Orders)>();
        void OnSaved(KafkaCheckpoint checkpoint)
        {
            var now = Stopwatch.GetTimestamp();
            while (timed.Yielded.TryPeek(out var batch) && batch.Seq <= checkpoint.Seq && timed.Yielded.TryDequeue(out batch))
            {
                batchLatencies.Add((Stopwatch.GetElapsedTime(batch.Ticks, now).TotalMilliseconds, batch.Orders));
            }

            if (allProduced.Task.IsCompleted && finalOffsets.All(f => checkpoint.Partitions.TryGetValue($"{f.Key.Topic}/{f.Key.Partition.Value}", out var o) && o >= f.Value))
            {
                // Sampled before the consumer thread ends, so its CPU is still readable.
                cpuAtEnd ??= ThreadCpu.Sample();
                endTicks ??= now;
                stop.Cancel();
            }
        }

        stop.CancelAfter(TimeSpan.FromMinutes(5));
        using var sampling = new CancellationTokenSource();
        var heapSampler = PeakManagedHeapAsync(sampling.Token);
        var run = new PipelineSync(sender, recorder, deadLetters).RunAsync("kafka-bench", "bench", timed, null, stop.Token);
        long startTicks;
        (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) cpuBefore;
        if (production == "backlog")
        {
            recorder.Saved = OnSaved;
            (startTicks, cpuBefore) = await timed.FirstBatch.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        else
        {
            // The group's join takes seconds on the mock cluster; messages produced before its first fetch could
            // outrun retention. Produce once the consumer is reading: a first order, acknowledged, proves it.
            using var producer = CreateProducer(broker!);
            var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            recorder.Saved = _ => reading.TrySetResult();
            Produce(producer, topics.Take(1).ToList(), 1, format, 0, "warm-up-", null, finalOffsets);
            await reading.Task.WaitAsync(TimeSpan.FromMinutes(1));
            recorder.Saved = OnSaved;
            cpuBefore = ThreadCpu.Sample();
            startTicks = Stopwatch.GetTimestamp();
            orders = await ProduceOnOwnThreadAsync(producer, topics, messages, format, rate, produced, finalOffsets);
            allProduced.SetResult();
            if (recorder.Last is { } last)
            {
                OnSaved(last);
            }
        }

        var result = await run;
        sampling.Cancel();
        var peakHeapMb = await heapSampler / (1024.0 * 1024.0);
        var seconds = Stopwatch.GetElapsedTime(startTicks, endTicks ?? Stopwatch.GetTimestamp()).TotalSeconds;
        var peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        await Console.Error.WriteLineAsync(ThreadCpu.Describe(cpuBefore, cpuAtEnd ?? ThreadCpu.Sample(), messages));

        List<(double Ms, int Weight)> latencies;
        string latencyBasis;
        if (production == "backlog")
        {
            latencies = batchLatencies;
            latencyBasis = "consumed_to_acknowledged";
        }
        else
        {
            latencies = ProducedToAcknowledged(produced, recorder);
            latencyBasis = "produced_to_acknowledged";
        }

        long expired, lost, duplicated;
        double? fixturePeakMb = null;
        if (fixtures is not null)
        {
            // The child counts what its broker expired and checks its server's rows against what it produced.
            using var stats = await fixtures.StatsAsync(CancellationToken.None);
            var root = stats.RootElement;
            (expired, lost, duplicated) = (root.GetProperty("expired").GetInt64(), root.GetProperty("lost").GetInt64(), root.GetProperty("duplicated").GetInt64());
            (lost, duplicated) = serverMode == "none" ? (0L, 0L) : (lost, duplicated);
            fixturePeakMb = root.GetProperty("peak_working_set_mb").GetDouble();
        }
        else
        {
            expired = ExpiredByRetention(broker!, topics);
            (lost, duplicated) = serverMode == "none" ? (0L, 0L) : Verify(server!, orders, production == "concurrent");
        }

        if (lost > 0 && broker is not null && Environment.GetEnvironmentVariable("AFFINSY_BENCH_DEBUG") == "1")
        {
            using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "probe" }).Build();
            foreach (var partition in topics.SelectMany(broker.TopicPartitions))
            {
                var marks = probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
                await Console.Error.WriteLineAsync($"{partition}: low {marks.Low} high {marks.High}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"messages\":{messages},\"format\":\"{format}\",\"production\":\"{production}\",\"topics\":{topicCount},\"partitions\":{partitionCount},\"producer_compression\":\"lz4\",\"outcome\":\"{result.Outcome}\",\"seconds\":{seconds:F3},\"messages_per_second\":{messages / seconds:F0},"
            + $"\"latency_basis\":\"{latencyBasis}\",\"latency_p50_ms\":{Percentile(latencies, 0.50):F1},\"latency_p99_ms\":{Percentile(latencies, 0.99):F1},"
            + $"\"peak_working_set_mb\":{peakWorkingSetMb:F0},\"fixtures\":\"{(separate ? "process" : "inline")}\",\"fixture_peak_working_set_mb\":{(fixturePeakMb is { } f ? f.ToString("F0", CultureInfo.InvariantCulture) : "null")},\"peak_managed_heap_mb\":{peakHeapMb:F0},\"expired_by_retention\":{expired},\"lost\":{lost},\"duplicated\":{duplicated},"
            + $"\"orders_read\":{result.OrdersRead},\"orders_sent\":{result.OrdersSent},\"inserted\":{result.Inserted},\"refused\":{result.OrdersRefused},\"dead_lettered\":{result.OrdersDeadLettered}}}"));
        if (fixtures is not null)
        {
            await fixtures.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }

        return lost == 0 && duplicated == 0 ? 0 : 1;
    }

    /// <summary>Produces <paramref name="count"/> warm-up messages to a topic of their own; returns its final offsets.</summary>
    internal static async Task<ConcurrentDictionary<TopicPartition, long>> ProduceWarmUpAsync(KafkaBroker broker, string format, long count)
    {
        await broker.CreateTopicAsync(WarmTopic, 4, CancellationToken.None);
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        using var producer = CreateProducer(broker);
        Produce(producer, [WarmTopic], count, format, 0, "w", null, finalOffsets);
        return finalOffsets;
    }

    /// <summary>
    /// Runs the warm-up messages through a pipeline of their own (topic, group, dataset), so the code the measured run
    /// uses is compiled at its final tier and the sender's connections are open.
    /// </summary>
    private static async Task WarmUpAsync(string bootstrap, IReadOnlyDictionary<TopicPartition, long> finalOffsets, AffinsySender sender, ICheckpointStore checkpoints, IDeadLetterStore deadLetters, string format)
    {
        var source = new KafkaOrderSource(new KafkaSourceOptions
        {
            BootstrapServers = bootstrap,
            Topics = [WarmTopic],
            GroupId = "bench-warm",
            Format = format,
            Stream = true,
            OrderIdle = TimeSpan.FromSeconds(5),
            CommitInterval = TimeSpan.FromSeconds(1),
        }, SourceContext.ForTesting("kafka-bench-warm"));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var recorder = new RecordingStore(checkpoints)
        {
            Saved = checkpoint =>
            {
                if (finalOffsets.All(f => checkpoint.Partitions.TryGetValue($"{f.Key.Topic}/{f.Key.Partition.Value}", out var o) && o >= f.Value))
                {
                    stop.Cancel();
                }
            },
        };
        var result = await new PipelineSync(sender, recorder, deadLetters).RunAsync("kafka-bench-warm", "bench-warm", source, null, stop.Token);
        if (result.OrdersRead == 0)
        {
            throw new InvalidOperationException($"The warm-up pipeline read nothing ({result.Outcome}).");
        }
    }

    /// <summary>The measured topics, 4 partitions each; returns the number of partitions.</summary>
    internal static async Task<int> CreateTopicsAsync(KafkaBroker broker, IReadOnlyList<string> topics)
    {
        var partitions = 0;
        foreach (var topic in topics)
        {
            partitions += await broker.CreateTopicAsync(topic, 4, CancellationToken.None);
        }

        return partitions;
    }

    /// <summary>
    /// <c>fixtures kafka --messages N --format F --topics K --warmup W</c> (the child of <c>--fixtures process</c>):
    /// the mock broker with the warm-up and the whole backlog produced, and the reference server. Ready line:
    /// bootstrap, api, orders, partitions and the final offsets; each <c>stats</c> line is answered with what retention
    /// expired and the server's rows checked against the orders produced (lost, duplicated).
    /// </summary>
    internal static async Task<int> ServeFixturesAsync(BenchmarkArgs options)
    {
        var messages = options.Long("messages", 100_000);
        var format = options.Required("format");
        var topics = Enumerable.Range(0, (int)options.Long("topics", 1)).Select(i => $"bench-orders-{i}").ToList();
        using var dataDir = new TempDirectory();
        await using var broker = await KafkaBroker.StartAsync(CancellationToken.None);
        var partitions = await CreateTopicsAsync(broker, topics);
        await using var server = await BenchmarkServer.StartUnthrottledAsync(dataDir.Path);
        var warmup = options.Long("warmup", 20_000);
        var warmOffsets = warmup > 0 ? await ProduceWarmUpAsync(broker, format, warmup) : new ConcurrentDictionary<TopicPartition, long>();
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        long orders;
        using (var producer = CreateProducer(broker))
        {
            orders = Produce(producer, topics, messages, format, 0, string.Empty, null, finalOffsets);
        }

        EnsureNothingExpired(broker, topics, finalOffsets);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bootstrap\":\"{broker.BootstrapServers}\",\"api\":\"{server.ApiBase}\",\"orders\":{orders},\"partitions\":{partitions},\"warm\":{OffsetsJson(warmOffsets)},\"final\":{OffsetsJson(finalOffsets)}}}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                var expired = ExpiredByRetention(broker, topics);
                var (lost, duplicated) = Verify(server, orders, withProbe: false);
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"expired\":{expired},\"lost\":{lost},\"duplicated\":{duplicated},\"peak_working_set_mb\":{self.PeakWorkingSet64 / (1024.0 * 1024.0):F0}}}"));
            }
        }

        return 0;
    }

    private static string OffsetsJson(ConcurrentDictionary<TopicPartition, long> offsets) =>
        "{" + string.Join(',', offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"\"{o.Key.Topic}/{o.Key.Partition.Value}\":{o.Value}"))) + "}";

    private static void ReadOffsets(System.Text.Json.JsonElement json, ConcurrentDictionary<TopicPartition, long> into)
    {
        foreach (var property in json.EnumerateObject())
        {
            var slash = property.Name.LastIndexOf('/');
            into[new TopicPartition(property.Name[..slash], int.Parse(property.Name.AsSpan(slash + 1), CultureInfo.InvariantCulture))] = property.Value.GetInt64();
        }
    }

    /// <summary>A producer as an order service would run one: acks=all, idempotent, lz4-compressed batches.</summary>
    private static IProducer<string?, string> CreateProducer(KafkaBroker broker) =>
        new ProducerBuilder<string?, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
        }).Build();

    /// <summary>
    /// The largest managed heap seen (sampled every 100 ms during the measured run): the process's .NET objects (the
    /// connector, the sink, the in-process server) without librdkafka's buffers, the mock brokers' logs and SQLite's cache.
    /// </summary>
    private static async Task<long> PeakManagedHeapAsync(CancellationToken cancellationToken)
    {
        var peak = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return peak;
    }

    /// <summary>
    /// Messages the broker's retention deleted by the end of the run (the sum of the low watermarks), read or not: in a
    /// backlog run it is 0 by the check before the clock starts; elsewhere a message deleted before it was read shows as lost.
    /// </summary>
    private static long ExpiredByRetention(KafkaBroker broker, IReadOnlyList<string> topics)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "bench-probe" }).Build();
        return topics.SelectMany(broker.TopicPartitions).Sum(partition => probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value);
    }

    /// <summary>A backlog is only a fair test if retention kept all of it: fail before the clock starts if not.</summary>
    private static void EnsureNothingExpired(KafkaBroker broker, IReadOnlyList<string> topics, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "bench-probe" }).Build();
        foreach (var partition in topics.SelectMany(broker.TopicPartitions))
        {
            var marks = probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.Low.Value > 0)
            {
                throw new InvalidOperationException(
                    $"The broker's retention deleted {marks.Low.Value} of {finalOffsets.GetValueOrDefault(partition)} messages of {partition} before they were read: "
                    + "spread the backlog over more topics (--topics) or use --production concurrent.");
            }
        }
    }

    /// <summary>
    /// Streams the measured dataset's rows from the server and compares them with what was produced (order i has
    /// "Product {i % 97}" x1 and "Product {i % 89 + 100}" x2; the concurrent mode's one probe order has "Tea" x1).
    /// </summary>
    private static (long Lost, long Duplicated) Verify(ReferenceServer server, long orders, bool withProbe)
    {
        var expectedRows = orders * 2 + (withProbe ? 1 : 0);
        long found = 0, duplicated = 0;
        server.Store.ForEachLine("local", "bench", line =>
        {
            double? expected = null;
            if (withProbe && line.OrderId == "warm-up-0")
            {
                expected = line.ProductName == "Tea" ? 1 : null;
            }
            else if (long.TryParse(line.OrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var order) && order < orders
                && line.ProductName.StartsWith("Product ", StringComparison.Ordinal)
                && long.TryParse(line.ProductName.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var product))
            {
                expected = product == order % 97 ? 1 : product == (order % 89) + 100 ? 2 : null;
            }

            if (expected is null)
            {
                duplicated++;
                return;
            }

            found++;
            if (line.Quantity != expected)
            {
                duplicated++;
            }
        });
        return (expectedRows - found, duplicated);
    }

    /// <summary>Concurrent mode: from a sampled message's produce time to the first save whose offset passes it.</summary>
    private static List<(double Ms, int Weight)> ProducedToAcknowledged(
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>> produced, RecordingStore recorder)
    {
        var latencies = new List<(double, int)>();
        foreach (var (partition, queue) in produced)
        {
            // One consumer, one assignment: a partition's safe offset only grows from save to save.
            var key = $"{partition.Topic}/{partition.Partition.Value}";
            var saves = recorder.Saves.Where(s => s.Checkpoint.Partitions.ContainsKey(key)).Select(s => (s.Ticks, Offset: s.Checkpoint.Partitions[key])).ToList();
            var next = 0;
            foreach (var (offset, ticks) in queue.OrderBy(m => m.Offset))
            {
                while (next < saves.Count && saves[next].Offset <= offset)
                {
                    next++;
                }

                if (next < saves.Count)
                {
                    latencies.Add((Stopwatch.GetElapsedTime(ticks, saves[next].Ticks).TotalMilliseconds, 1));
                }
            }
        }

        return latencies;
    }

    /// <summary>
    /// <c>--parse-only true</c>: the format's decoding alone (parse, normalize), on this thread, with no broker: the
    /// consumer thread's share of the CPU that is ours rather than librdkafka's.
    /// </summary>
    private static int ParseOnly(long messages, string format)
    {
        var decoder = Affinsy.Connectors.Kafka.Formats.KafkaFormats.Create(new KafkaSourceOptions { BootstrapServers = "-", GroupId = "-", Format = format });
        var partition = new TopicPartition("bench", 0);
        var bodies = new List<byte[]>();
        for (var order = 0L; order < 1_000; order++)
        {
            var id = order.ToString(CultureInfo.InvariantCulture);
            bodies.Add(System.Text.Encoding.UTF8.GetBytes($$"""{"order_id":"{{id}}","customer_id":"{{order % 5_000}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Product {{order % 97}}","unit_price":2.5,"quantity":1},{"product_name":"Product {{(order % 89) + 100}}","unit_price":4,"quantity":2}]}"""));
        }

        var sink = new CountingOutput();
        for (var round = 0; round < 2; round++)
        {
            var before = ThreadCpu.CurrentThreadSeconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0L; i < messages; i++)
            {
                decoder.Accept(new Affinsy.Connectors.Kafka.Formats.KafkaRecord(partition, i, DateTimeOffset.UnixEpoch, null, bodies[(int)(i % bodies.Count)], null), sink);
            }

            var cpu = ThreadCpu.CurrentThreadSeconds() - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"parse_only\":true,\"round\":{round},\"messages\":{messages},\"seconds\":{clock.Elapsed.TotalSeconds:F3},\"cpu_seconds\":{cpu:F2},\"us_per_message_cpu\":{cpu * 1e6 / messages:F2},\"orders\":{sink.Orders},\"problems\":{sink.Problems}}}"));
        }

        return 0;
    }

    /// <summary>Stands in for the server: drains the request body, answers an empty successful import.</summary>
    private sealed class AnsweringHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("""{"import_id":"imp_1","dataset_id":"bench","status":"completed","orders_received":0,"line_items_received":0,"inserted":0,"updated":0,"rejected":0,"warning":null}""", System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class CountingOutput : Affinsy.Connectors.Kafka.Formats.IFormatOutput
    {
        public long Orders { get; private set; }

        public long Problems { get; private set; }

        /// <summary>Normalized here as the pipeline would, so the decode figure still includes normalization.</summary>
        public void Draft(Affinsy.Core.Orders.OrderDraft draft)
        {
            if (Affinsy.Core.Orders.OrderNormalizer.Normalize(draft).Order is not null)
            {
                Orders++;
            }
            else
            {
                Problems++;
            }
        }

        public void Problem(string reason, Affinsy.Connectors.Kafka.Formats.KafkaRecord record, string? orderId) => Problems++;

        /// <summary>Orders skipped by design (cancelled, test...): neither orders nor problems, as before skips were counted.</summary>
        public long SkippedOrders { get; private set; }

        public void Skipped(Affinsy.Core.Sources.SkipReason reason) => SkippedOrders++;
    }

    /// <summary>Produces on a thread of its own, named so its CPU is told apart from the pipeline's.</summary>
    private static Task<long> ProduceOnOwnThreadAsync(
        IProducer<string?, string> producer, IReadOnlyList<string> topics, long messages, string format, double rate,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>> produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var orders = Produce(producer, topics, messages, format, rate, string.Empty, produced, finalOffsets);
                ThreadCpu.ProducerSeconds = ThreadCpu.CurrentThreadSeconds();
                done.SetResult(orders);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { Name = "bench-produce", IsBackground = true };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Produces at least <paramref name="messages"/> messages (whole orders), round-robin over the topics by order and
    /// waits for every delivery; returns how many orders were produced. Order i has two products (see
    /// <see cref="Verify"/>), so nothing per message is kept but a sample of produce times.
    /// </summary>
    private static long Produce(
        IProducer<string?, string> producer, IReadOnlyList<string> topics, long messages, string format, double rate, string idPrefix,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>>? produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var started = Stopwatch.GetTimestamp();
        var sent = 0L;
        Exception? failure = null;
        void Send(string topic, string key, string value)
        {
            var ticks = Stopwatch.GetTimestamp();
            void OnDelivery(DeliveryReport<string?, string> report)
            {
                if (report.Error.IsError)
                {
                    failure ??= new InvalidOperationException($"produce failed: {report.Error.Reason}");
                    return;
                }

                if (produced is not null && report.Offset.Value % LatencySampleEvery == 0)
                {
                    produced.GetOrAdd(report.TopicPartition, _ => new ConcurrentQueue<(long, long)>()).Enqueue((report.Offset.Value, ticks));
                }

                finalOffsets.AddOrUpdate(report.TopicPartition, report.Offset.Value + 1, (_, o) => Math.Max(o, report.Offset.Value + 1));
            }

            // The local queue fills when production outruns the broker (a million-message backlog does): serve
            // delivery reports until there is room, as a producing application must.
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string?, string> { Key = key, Value = value }, OnDelivery);
                    break;
                }
                catch (ProduceException<string?, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }

            sent++;
            if (rate > 0)
            {
                while (sent / Stopwatch.GetElapsedTime(started).TotalSeconds > rate)
                {
                    Thread.Sleep(1); // pacing, not synchronisation: a spinning producer would starve the pipeline on 2 cores
                }
            }
        }

        var order = 0L;
        for (; sent < messages; order++)
        {
            var topic = topics[(int)(order % topics.Count)];
            var id = idPrefix + order.ToString(CultureInfo.InvariantCulture);
            var customer = (order % 5_000).ToString(CultureInfo.InvariantCulture);
            var a = $"Product {order % 97}";
            var b = $"Product {(order % 89) + 100}";
            if (idPrefix == "warm-up-")
            {
                Send(topic, id, format == "affinsy"
                    ? $$"""{"order_id":"{{id}}","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}"""
                    : $$"""{"order_id":"{{id}}","product_name":"Tea","unit_price":1,"quantity":1}""");
                if (format != "affinsy")
                {
                    Send(topic, id, $$"""{"order_id":"{{id}}","end":true}""");
                }
            }
            else if (format == "affinsy")
            {
                Send(topic, id, $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"{{a}}","unit_price":2.5,"quantity":1},{"product_name":"{{b}}","unit_price":4,"quantity":2}]}""");
            }
            else
            {
                Send(topic, id, $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","product_name":"{{a}}","unit_price":2.5,"quantity":1}""");
                Send(topic, id, $$"""{"order_id":"{{id}}","product_name":"{{b}}","unit_price":4,"quantity":2}""");
                Send(topic, id, $$"""{"order_id":"{{id}}","end":true}""");
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0)
        {
            throw new InvalidOperationException("The producer could not deliver every message within 2 minutes.");
        }

        return failure is null ? order : throw failure;
    }

    /// <summary>The weighted percentile: each sample counts <c>Weight</c> times (a batch's orders share its latency).</summary>
    private static double Percentile(List<(double Ms, int Weight)> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        samples.Sort((x, y) => x.Ms.CompareTo(y.Ms));
        var total = samples.Sum(s => (long)s.Weight);
        var target = (long)(p * total);
        var seen = 0L;
        foreach (var (ms, weight) in samples)
        {
            seen += weight;
            if (seen > target)
            {
                return ms;
            }
        }

        return samples[^1].Ms;
    }

    /// <summary>
    /// Hands the Kafka source's batches to the pipeline, noting when each left the consumer (and the first one, when
    /// the backlog clock starts).
    /// </summary>
    private sealed class TimedSource(KafkaOrderSource inner) : IOrderSource
    {
        public TaskCompletionSource<(long Ticks, (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) Cpu)> FirstBatch { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(long Seq, long Ticks, int Orders)> Yielded { get; } = new();

        public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken) =>
            inner.AcknowledgeAsync(checkpoint, cancellationToken);

        public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var batch in inner.ReadAsync(from, cancellationToken))
            {
                var ticks = Stopwatch.GetTimestamp();
                if (!FirstBatch.Task.IsCompleted)
                {
                    FirstBatch.TrySetResult((ticks, ThreadCpu.Sample()));
                }

                if (batch.Checkpoint?.As(KafkaCheckpoint.Json) is { } checkpoint)
                {
                    Yielded.Enqueue((checkpoint.Seq, ticks, batch.Drafts.Count));
                }

                yield return batch;
            }
        }
    }

    /// <summary>Records when each Kafka checkpoint was saved (that is when its offsets may be committed).</summary>
    private sealed class RecordingStore(ICheckpointStore inner) : ICheckpointStore
    {
        public List<(long Ticks, KafkaCheckpoint Checkpoint)> Saves { get; } = [];

        public Action<KafkaCheckpoint>? Saved { get; set; }

        public KafkaCheckpoint? Last
        {
            get
            {
                lock (Saves)
                {
                    return Saves.Count == 0 ? null : Saves[^1].Checkpoint;
                }
            }
        }

        public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

        public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
        {
            await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
            ArgumentNullException.ThrowIfNull(checkpoint);
            var kafka = checkpoint.As(KafkaCheckpoint.Json);
            {
                lock (Saves)
                {
                    Saves.Add((Stopwatch.GetTimestamp(), kafka));
                }

                Saved?.Invoke(kafka);
            }
        }

        public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

        public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
    }

    /// <summary>
    /// CPU time per thread from /proc/self/task (Linux), grouped by thread name: our consumer thread, librdkafka's
    /// threads (consumer, producer and the mock brokers), the thread pool (sink, HTTP client and the reference server,
    /// which share it), the benchmark's producer. Threads that ended inside the window count as "exited".
    /// </summary>
    private static class ThreadCpu
    {
        /// <summary>The benchmark producer's CPU, read by that thread as it ends (it ends before the last sample).</summary>
        public static double ProducerSeconds { get; set; }

        public static double CurrentThreadSeconds()
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }

        public static (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) Sample()
        {
            var threads = new Dictionary<int, (string, double)>();
            var ticks = 100.0; // USER_HZ on Linux
            try
            {
                foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
                {
                    try
                    {
                        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                        var open = stat.IndexOf('(', StringComparison.Ordinal);
                        var close = stat.LastIndexOf(')');
                        var name = stat[(open + 1)..close];
                        var fields = stat[(close + 2)..].Split(' ');
                        var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticks;
                        threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, seconds);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
            catch (DirectoryNotFoundException)
            {
            }

            return (Process.GetCurrentProcess().TotalProcessorTime, threads);
        }

        public static string Describe((TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) before, (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) after, long messages)
        {
            var groups = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var accounted = 0.0;
            foreach (var (id, (name, seconds)) in after.Threads)
            {
                var used = seconds - (before.Threads.TryGetValue(id, out var b) ? b.Seconds : 0);
                var group = name.StartsWith("rdk:", StringComparison.Ordinal) ? "librdkafka"
                    : name.StartsWith("affinsy-kafka", StringComparison.Ordinal) ? "consumer_thread"
                    : name.StartsWith("bench-produce", StringComparison.Ordinal) ? "bench_producer"
                    : name.Contains("TP Worker", StringComparison.Ordinal) || name.Contains("Thread Pool", StringComparison.Ordinal) ? "thread_pool"
                    : name.Contains("GC", StringComparison.Ordinal) ? "gc"
                    : name.StartsWith(".NET Tiered", StringComparison.Ordinal) ? "jit"
                    : name.StartsWith(".NET Long Run", StringComparison.Ordinal) ? "bench_producer_delivery_reports"
                    : "other";
                groups[group] = groups.GetValueOrDefault(group) + used;
                accounted += used;
            }

            var total = (after.Total - before.Total).TotalSeconds;
            groups["bench_producer"] = ProducerSeconds;
            accounted += ProducerSeconds;
            groups["exited"] = Math.Max(0, total - accounted);
            var parts = string.Join(',', groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"\"{g.Key}\":{g.Value:F2}")));
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"cpu_seconds\":{total:F2},\"cpu_seconds_per_100k\":{total * 100_000 / Math.Max(1, messages):F2},\"by_thread\":{{{parts}}}}}");
        }
    }
}
