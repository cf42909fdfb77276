using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>dead-letters replay</c> of a Kafka pipeline's <c>dead_letter_topic</c> through the real executable: whole orders
/// sent to a <c>line_item</c> pipeline go to the topic; once the format is fixed, a replay sends them, and only once.
/// </summary>
public sealed partial class KafkaDeadLetterReplayTests : SyncFixture
{
    private static readonly DateTimeOffset Day = new(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Orders_on_the_dead_letter_topic_land_once_the_format_is_fixed_and_a_second_replay_reads_nothing()
    {
        await StartServerAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await Affinsy.Testing.Kafka.KafkaBroker.StartAsync(ct);
        await broker.CreateTopicAsync("orders", 1, ct);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            // Two lines of one order (what a line_item pipeline takes), then three whole orders it cannot read.
            string[] messages =
            [
                """{"order_id":"l1","customer_id":"c1","order_date":"2026-01-10T10:00:00Z","product_name":"Tea","unit_price":2,"quantity":1}""",
                """{"order_id":"l1","end":true}""",
                .. Enumerable.Range(1, 3).Select(i => $$"""{"order_id":"w{{i}}","customer_id":"c2","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Jam","unit_price":3,"quantity":{{i}}}]}"""),
            ];
            foreach (var value in messages)
            {
                await producer.ProduceAsync("orders", new Message<string, string> { Key = "k", Value = value }, ct);
            }
        }

        Pipeline(broker.BootstrapServers, "line_item");
        var sync = await SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
        Assert.Equal([new ExpectedRow("l1", "Tea", 2, 1, "c1", Day)], Landed());
        Assert.Equal(3, broker.ReadAll("orders-dlt", ct).Count);

        Pipeline(broker.BootstrapServers, "affinsy");
        var dry = await HostProcess.RunAsync(WorkDir, Env, "dead-letters", "replay", "shop", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stdout + dry.Stderr);
        Assert.Equal("3", Count(dry.Stdout, "would be replayed"));
        Assert.Single(Landed());

        var replay = await HostProcess.RunAsync(WorkDir, Env, "dead-letters", "replay", "shop");
        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        Assert.Equal("3", Count(replay.Stdout, "replayed (the replay group moved past them)"));
        Assert.Equal(
            Canonical([new("l1", "Tea", 2, 1, "c1", Day), new("w1", "Jam", 3, 1, "c2", Day), new("w2", "Jam", 3, 2, "c2", Day), new("w3", "Jam", 3, 3, "c2", Day)]),
            Landed());

        var requests = Server.Gate.IngestsAdmitted.Value;
        var again = await HostProcess.RunAsync(WorkDir, Env, "dead-letters", "replay", "shop");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("Nothing to replay", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(requests, Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(3, broker.ReadAll("orders-dlt", ct).Count);

        // The run history: the sync, then each replay as a run of its own (the dry run changed nothing and is not one).
        var runs = await HostProcess.RunAsync(WorkDir, Env, "runs", "shop", "--json");
        var history = JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("outcome").GetString(), r.GetProperty("orders_read").GetInt64(), r.GetProperty("line_items_sent").GetInt64(), r.GetProperty("dead_lettered").GetInt64()))
            .ToList();
        Assert.Equal([("replay", "Completed", 0L, 0L, 0L), ("replay", "Completed", 3L, 3L, 0L), ("sync", "Completed", 1L, 1L, 3L)], history);
    }

    private void Pipeline(string bootstrap, string format) => WritePipelines($$"""
          - name: shop
            dataset_id: shop
            source: { type: kafka, bootstrap_servers: "{{bootstrap}}", topics: [orders], group_id: e2e-replay, format: {{format}}, dead_letter_topic: orders-dlt, properties: { session.timeout.ms: "6000" } }
        """);

    private static string Count(string stdout, string label)
    {
        var match = Regex.Match(stdout, "^  " + Regex.Escape(label) + @"\s+(?<n>[\d,]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}' row in:\n{stdout}");
        return match.Groups["n"].Value;
    }
}
