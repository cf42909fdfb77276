using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Affinsy.Testing;
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
        // The same fixtures a run with --fixtures inline starts in its own process, here on their own.
        var run = KafkaRunOptions.Parse(options);
        using var dataDir = new TempDirectory();
        await using var fixtures = await KafkaFixtures.StartAsync(run, dataDir.Path);
        fixtures.ProduceBacklog(run);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bootstrap\":\"{fixtures.Bootstrap}\",\"api\":\"{fixtures.Api}\",\"orders\":{fixtures.Orders},\"partitions\":{fixtures.Partitions},\"warm\":{OffsetsJson(fixtures.WarmOffsets)},\"final\":{OffsetsJson(fixtures.FinalOffsets)}}}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                var (expired, lost, duplicated, _) = await fixtures.CheckAsync(run, fixtures.Orders);
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
