using System.Globalization;
using Affinsy.Connectors.Kafka;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
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
internal sealed partial class KafkaCommand : IBenchmarkCommand
{
    public string Name => "kafka";

    public string Description => "stream N Kafka messages through the Kafka source into a reference server";

    public async Task<int> RunAsync(string[] args)
    {
        var options = KafkaRunOptions.Parse(new BenchmarkArgs(args));
        if (options.ParseOnly)
        {
            return ParseOnly(options.Messages);
        }

        using var scratch = new TempDirectory();
        await using var fixtures = await KafkaFixtures.StartAsync(options, scratch.Path);
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(scratch.Path, "state.db"), TimeProvider.System, CancellationToken.None);
        using var deadLetters = new JsonlDeadLetterStore(Path.Combine(scratch.Path, "dead"));
        // --server none: no reference server, every request is read in full (the sink's serialization still runs) and
        // answered at once; shows how much of the CPU is the reference server's. lost/duplicated are then not checked.
        using var http = options.ServerMode == "none" ? new HttpClient(new AnsweringHandler()) : new HttpClient();
        var sender = new AffinsySender(http, new SinkOptions
        {
            BaseUrl = fixtures.Api,
            ApiKey = ReferenceSettings.LocalDevKey,
            MaxLineItemsPerRequest = options.MaxLineItemsPerRequest,
            // The server above is unthrottled; the API's own 60 requests a minute would cap any run at 10,000 line
            // items a second, so the sink's gate is opened to match the server's.
            RequestsPerMinute = 1_000_000,
        });

        if (!fixtures.WarmOffsets.IsEmpty)
        {
            await WarmUpAsync(fixtures.Bootstrap, fixtures.WarmOffsets, sender, checkpoints, deadLetters, options.Format);
        }

        fixtures.ProduceBacklog(options);
        var measured = await new KafkaMeasurement(options, fixtures).RunAsync(sender, checkpoints, deadLetters);
        var (expired, lost, duplicated, fixturePeakMb) = await fixtures.CheckAsync(options, measured.Orders);
        var seconds = measured.Seconds;
        var result = measured.Result;
        var messages = options.Messages;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"messages\":{messages},\"format\":\"{options.Format}\",\"production\":\"{options.Production}\",\"topics\":{options.TopicCount},\"partitions\":{fixtures.Partitions},\"producer_compression\":\"lz4\",\"outcome\":\"{result.Outcome}\",\"seconds\":{seconds:F3},\"messages_per_second\":{messages / seconds:F0},"
            + $"\"latency_basis\":\"{measured.LatencyBasis}\",\"latency_p50_ms\":{KafkaBenchChecks.Percentile(measured.Latencies, 0.50):F1},\"latency_p99_ms\":{KafkaBenchChecks.Percentile(measured.Latencies, 0.99):F1},"
            + $"\"peak_working_set_mb\":{measured.PeakWorkingSetMb:F0},\"fixtures\":\"{(options.SeparateFixtures ? "process" : "inline")}\",\"fixture_peak_working_set_mb\":{(fixturePeakMb is { } f ? f.ToString("F0", CultureInfo.InvariantCulture) : "null")},\"peak_managed_heap_mb\":{measured.PeakHeapMb:F0},\"expired_by_retention\":{expired},\"lost\":{lost},\"duplicated\":{duplicated},"
            + $"\"orders_read\":{result.OrdersRead},\"orders_sent\":{result.OrdersSent},\"inserted\":{result.Inserted},\"refused\":{result.OrdersRefused},\"dead_lettered\":{result.OrdersDeadLettered}}}"));
        return lost == 0 && duplicated == 0 ? 0 : 1;
    }

    /// <summary>
    /// Runs the warm-up messages through a pipeline of their own (topic, group, dataset), so the code the measured run
    /// uses is compiled at its final tier and the sender's connections are open.
    /// </summary>
    private static async Task WarmUpAsync(string bootstrap, IReadOnlyDictionary<TopicPartition, long> finalOffsets, AffinsySender sender, ICheckpointStore checkpoints, IDeadLetterStore deadLetters, string format)
    {
        var source = Source("kafka-bench-warm", bootstrap, [KafkaBenchProducer.WarmTopic], "bench-warm", format, maxUnacknowledged: null);
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

    /// <summary>
    /// A streaming <c>kafka</c> source bound from its connectors.yaml section, as the Host binds it: orders idle for 5 s
    /// are complete, offsets committed every second; <paramref name="maxUnacknowledged"/> null keeps the default.
    /// </summary>
    internal static IOrderSource Source(string pipeline, string bootstrap, IEnumerable<string> topics, string groupId, string format, int? maxUnacknowledged)
    {
        var limit = maxUnacknowledged is { } max ? $"\nmax_unacknowledged: {max.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return ConfiguredSource.Create(new SourceRegistry().AddKafkaSource(), pipeline, $$"""
            type: kafka
            bootstrap_servers: "{{bootstrap}}"
            topics: [{{string.Join(", ", topics.Select(t => $"\"{t}\""))}}]
            group_id: {{groupId}}
            format: {{format}}
            stream: true
            order_idle: 5s
            commit_interval: 1s{{limit}}
            """);
    }
}
