using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Affinsy.Testing;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

internal sealed partial class KafkaCommand
{
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
        var partitions = await KafkaBenchProducer.CreateTopicsAsync(broker, topics);
        await using var server = await BenchmarkServer.StartUnthrottledAsync(dataDir.Path);
        var warmup = options.Long("warmup", 20_000);
        var warmOffsets = warmup > 0 ? await KafkaBenchProducer.ProduceWarmUpAsync(broker, format, warmup) : new ConcurrentDictionary<TopicPartition, long>();
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        long orders;
        using (var producer = KafkaBenchProducer.CreateProducer(broker))
        {
            orders = KafkaBenchProducer.Produce(producer, topics, messages, format, 0, string.Empty, null, finalOffsets);
        }

        KafkaBenchChecks.EnsureNothingExpired(broker, topics, finalOffsets);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bootstrap\":\"{broker.BootstrapServers}\",\"api\":\"{server.ApiBase}\",\"orders\":{orders},\"partitions\":{partitions},\"warm\":{OffsetsJson(warmOffsets)},\"final\":{OffsetsJson(finalOffsets)}}}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                var expired = KafkaBenchChecks.ExpiredByRetention(broker, topics);
                var (lost, duplicated) = KafkaBenchChecks.Verify(server, orders, withProbe: false);
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"expired\":{expired},\"lost\":{lost},\"duplicated\":{duplicated},\"peak_working_set_mb\":{self.PeakWorkingSet64 / (1024.0 * 1024.0):F0}}}"));
            }
        }

        return 0;
    }

    internal static string OffsetsJson(ConcurrentDictionary<TopicPartition, long> offsets) =>
        "{" + string.Join(',', offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"\"{o.Key.Topic}/{o.Key.Partition.Value}\":{o.Value}"))) + "}";

    internal static void ReadOffsets(System.Text.Json.JsonElement json, ConcurrentDictionary<TopicPartition, long> into)
    {
        foreach (var property in json.EnumerateObject())
        {
            var slash = property.Name.LastIndexOf('/');
            into[new TopicPartition(property.Name[..slash], int.Parse(property.Name.AsSpan(slash + 1), CultureInfo.InvariantCulture))] = property.Value.GetInt64();
        }
    }
}
