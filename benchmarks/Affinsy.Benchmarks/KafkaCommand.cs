using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Affinsy.Connectors.Kafka;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>kafka --messages N [--format affinsy|line_item] [--rate MSG_PER_S] [--max-line-items-per-request N]</c>: a streaming Kafka pipeline on librdkafka's
/// mock cluster (or <c>KAFKA_BOOTSTRAP_SERVERS</c>) into a reference server on a temporary SQLite file. Messages are
/// produced while the pipeline runs; latency is from a message's produce time to the save of the first checkpoint
/// whose offset for its partition passes it (the moment its offset may be committed). Afterwards every stored row is
/// compared with what was produced: missing rows are lost, extra or wrong rows are duplicated.
/// </summary>
internal sealed class KafkaCommand : IBenchmarkCommand
{
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

        var dataDir = Path.Combine(Path.GetTempPath(), "affinsy-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        await using var broker = await KafkaBroker.StartAsync(CancellationToken.None);
        var topic = "bench-orders";
        await broker.CreateTopicAsync(topic, 4, CancellationToken.None);
        var settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } };
        await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { DataDirectory = Path.Combine(dataDir, "server"), Settings = settings, Logging = _ => { } }, CancellationToken.None);
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(dataDir, "state.db"), TimeProvider.System, CancellationToken.None);
        using var deadLetters = new JsonlDeadLetterStore(Path.Combine(dataDir, "dead"));
        // --server none: no reference server, every request is read in full (the sink's serialization still runs) and
        // answered at once; shows how much of the CPU is the reference server's. lost/duplicated are then not checked.
        var serverMode = options.String("server") ?? "sqlite";
        using var http = serverMode == "none" ? new HttpClient(new AnsweringHandler()) : new HttpClient();
        var sender = new AffinsySender(http, new SinkOptions
        {
            BaseUrl = server.ApiBase,
            ApiKey = ReferenceSettings.LocalDevKey,
            MaxLineItemsPerRequest = (int)options.Long("max-line-items-per-request", SinkOptions.ApiMaxLineItemsPerRequest),
        });

        var source = new KafkaOrderSource(new KafkaSourceOptions
        {
            BootstrapServers = broker.BootstrapServers,
            Topics = [topic],
            GroupId = "bench",
            Format = format,
            Stream = true,
            OrderIdle = TimeSpan.FromSeconds(5),
            CommitInterval = TimeSpan.FromSeconds(1),
        }, SourceContext.ForTesting("kafka-bench"));
        var produced = new ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>>();
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        var recorder = new RecordingStore(checkpoints);
        using var stop = new CancellationTokenSource();
        var allProduced = new TaskCompletionSource();
        (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads)? cpuAtEnd = null;
        void StopWhenCovered(KafkaCheckpoint checkpoint)
        {
            if (allProduced.Task.IsCompleted && finalOffsets.All(f => checkpoint.Partitions.TryGetValue($"{f.Key.Topic}/{f.Key.Partition.Value}", out var o) && o >= f.Value))
            {
                // Sampled before the consumer thread ends, so its CPU is still readable.
                cpuAtEnd ??= ThreadCpu.Sample();
                stop.Cancel();
            }
        }

        stop.CancelAfter(TimeSpan.FromMinutes(5));
        var store = new AcknowledgingCheckpointStore(recorder, "kafka-bench", source);
        var clock = Stopwatch.StartNew();
        var run = new PipelineSync(sender, store, deadLetters).RunAsync("kafka-bench", "bench", source, null, stop.Token);

        // The mock cluster keeps a few MB per partition: messages produced before the group's first fetch
        // (a join takes ~3 s) can be deleted by retention, exactly as a real broker would. Produce once the
        // consumer is reading: a first order, acknowledged, proves it.
        var warmedUp = new TaskCompletionSource();
        recorder.Saved = checkpoint => warmedUp.TrySetResult();
        using (var warmUp = broker.CreateProducer())
        {
            if (format == "affinsy")
            {
                await warmUp.ProduceAsync(topic, new Message<string?, string> { Key = "warm-up", Value = """{"order_id":"warm-up","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" });
            }
            else
            {
                await warmUp.ProduceAsync(topic, new Message<string?, string> { Key = "warm-up", Value = """{"order_id":"warm-up","product_name":"Tea","unit_price":1,"quantity":1}""" });
                await warmUp.ProduceAsync(topic, new Message<string?, string> { Key = "warm-up", Value = """{"order_id":"warm-up","end":true}""" });
            }
        }

        await warmedUp.Task.WaitAsync(TimeSpan.FromMinutes(1));

        // Steady state: --warmup messages (default 20,000) go through first, so the JIT's tiering and the pools are
        // warm when the clock starts. A long-running consumer spends its life in that state.
        var warmupCount = options.Long("warmup", 20_000);
        var warmExpected = new Dictionary<(string, string), double>();
        if (warmupCount > 0)
        {
            var warmOffsets = new ConcurrentDictionary<TopicPartition, long>();
            var warmCovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            recorder.Saved = checkpoint =>
            {
                if (!warmOffsets.IsEmpty && warmOffsets.All(f => checkpoint.Partitions.TryGetValue($"{f.Key.Topic}/{f.Key.Partition.Value}", out var o) && o >= f.Value))
                {
                    warmCovered.TrySetResult();
                }
            };
            using var warmProducer = broker.CreateProducer();
            warmExpected = await ProduceAsync(warmProducer, topic, warmupCount, format, 0, "w", new(), warmOffsets);
            if (recorder.Last is { } seen)
            {
                recorder.Saved(seen);
            }

            await warmCovered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }

        recorder.Saved = StopWhenCovered;
        lock (recorder.Saves)
        {
            recorder.Saves.Clear();
        }

        using var producer = broker.CreateProducer();
        var cpuBefore = ThreadCpu.Sample();
        clock.Restart();
        var expected = await ProduceOnOwnThreadAsync(producer, topic, messages, format, rate, produced, finalOffsets);
        foreach (var (key, quantity) in warmExpected)
        {
            expected[key] = quantity;
        }

        expected[("warm-up", "Tea")] = 1;
        allProduced.SetResult();
        if (recorder.Last is { } last)
        {
            StopWhenCovered(last);
        }

        var result = await run;
        var seconds = clock.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync(ThreadCpu.Describe(cpuBefore, cpuAtEnd ?? ThreadCpu.Sample(), messages));

        var latencies = new List<double>();
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
                    latencies.Add(Stopwatch.GetElapsedTime(ticks, saves[next].Ticks).TotalMilliseconds);
                }
            }
        }

        latencies.Sort();
        var stored = serverMode == "none"
            ? expected.ToDictionary(e => e.Key, e => e.Value)
            : server.Store.LoadLines("local", "bench").ToDictionary(l => (l.OrderId, l.ProductName), l => l.Quantity);
        var lost = expected.Count(e => !stored.ContainsKey(e.Key));
        if (lost > 0 && Environment.GetEnvironmentVariable("AFFINSY_BENCH_DEBUG") == "1")
        {
            var ids = expected.Keys.Where(k => !stored.ContainsKey(k)).Select(k => k.Item1).Distinct().Order(StringComparer.Ordinal).ToList();
            await Console.Error.WriteLineAsync($"lost orders: {ids.Count}; first {string.Join(',', ids.Take(10))}");
            using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "probe" }).Build();
            foreach (var partition in broker.TopicPartitions(topic))
            {
                var marks = probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
                await Console.Error.WriteLineAsync($"{partition}: low {marks.Low} high {marks.High}");
            }
        }

        var duplicated = stored.Count(s => !expected.TryGetValue(s.Key, out var q) || q != s.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"messages\":{messages},\"format\":\"{format}\",\"outcome\":\"{result.Outcome}\",\"seconds\":{seconds:F3},\"messages_per_second\":{messages / seconds:F0},"
            + $"\"latency_p50_ms\":{Percentile(latencies, 0.50):F1},\"latency_p99_ms\":{Percentile(latencies, 0.99):F1},"
            + $"\"peak_working_set_mb\":{Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0):F0},\"lost\":{lost},\"duplicated\":{duplicated},"
            + $"\"orders_read\":{result.OrdersRead},\"orders_sent\":{result.OrdersSent},\"inserted\":{result.Inserted},\"refused\":{result.OrdersRefused},\"dead_lettered\":{result.OrdersDeadLettered}}}"));
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return lost == 0 && duplicated == 0 ? 0 : 1;
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

        public void Order(Affinsy.Core.Orders.Order order) => Orders++;

        public void Problem(string reason, Affinsy.Connectors.Kafka.Formats.KafkaRecord record, string? orderId) => Problems++;
    }

    /// <summary>Produces on a thread of its own, named so its CPU is told apart from the pipeline's.</summary>
    private static Task<Dictionary<(string, string), double>> ProduceOnOwnThreadAsync(
        IProducer<string?, string> producer, string topic, long messages, string format, double rate,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>> produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var done = new TaskCompletionSource<Dictionary<(string, string), double>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var expected = ProduceAsync(producer, topic, messages, format, rate, string.Empty, produced, finalOffsets).GetAwaiter().GetResult();
                ThreadCpu.ProducerSeconds = ThreadCpu.CurrentThreadSeconds();
                done.SetResult(expected);
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

    /// <summary>Produces the messages; returns every (order, product) → quantity that must land.</summary>
    private static async Task<Dictionary<(string, string), double>> ProduceAsync(
        IProducer<string?, string> producer, string topic, long messages, string format, double rate, string idPrefix,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>> produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var expected = new Dictionary<(string, string), double>();
        var started = Stopwatch.GetTimestamp();
        var sent = 0L;
        void Send(string key, string value)
        {
            var ticks = Stopwatch.GetTimestamp();
            producer.Produce(topic, new Message<string?, string> { Key = key, Value = value }, report =>
            {
                if (report.Error.IsError)
                {
                    throw new InvalidOperationException($"produce failed: {report.Error.Reason}");
                }

                produced.GetOrAdd(report.TopicPartition, _ => new ConcurrentQueue<(long, long)>()).Enqueue((report.Offset.Value, ticks));
                finalOffsets.AddOrUpdate(report.TopicPartition, report.Offset.Value + 1, (_, o) => Math.Max(o, report.Offset.Value + 1));
            });
            sent++;
            if (rate > 0)
            {
                while (sent / Stopwatch.GetElapsedTime(started).TotalSeconds > rate)
                {
                    Thread.Sleep(1); // pacing, not synchronisation: a spinning producer would starve the pipeline on 2 cores
                }
            }
        }

        for (var order = 0L; sent < messages; order++)
        {
            var id = idPrefix + order.ToString(CultureInfo.InvariantCulture);
            var customer = (order % 5_000).ToString(CultureInfo.InvariantCulture);
            var a = $"Product {order % 97}";
            var b = $"Product {(order % 89) + 100}";
            if (format == "affinsy")
            {
                Send(id, $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"{{a}}","unit_price":2.5,"quantity":1},{"product_name":"{{b}}","unit_price":4,"quantity":2}]}""");
            }
            else
            {
                Send(id, $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","product_name":"{{a}}","unit_price":2.5,"quantity":1}""");
                Send(id, $$"""{"order_id":"{{id}}","product_name":"{{b}}","unit_price":4,"quantity":2}""");
                Send(id, $$"""{"order_id":"{{id}}","end":true}""");
            }

            expected[(id, a)] = 1;
            expected[(id, b)] = 2;
        }

        producer.Flush(TimeSpan.FromMinutes(1));
        await Task.CompletedTask;
        return expected;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

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
            if (KafkaCheckpoint.From(checkpoint) is { } kafka)
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
