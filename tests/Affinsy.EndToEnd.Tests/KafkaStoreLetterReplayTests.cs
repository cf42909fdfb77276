using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>dead-letters replay</c> through the real executable of the letters a Kafka pipeline without a
/// <c>dead_letter_topic</c> kept in the dead-letter store: whole orders sent to a <c>line_item</c> pipeline, and a
/// Latin-1 message, are stored letters; once the format is fixed, the orders land, once, and the Latin-1 one keeps its
/// letter and reason.
/// </summary>
public sealed class KafkaStoreLetterReplayTests : SyncFixture
{
    private static readonly DateTimeOffset Day = new(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Store_letters_of_a_kafka_pipeline_land_once_the_format_is_fixed_and_a_second_replay_sends_nothing()
    {
        await StartServerAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await Affinsy.Testing.Kafka.KafkaBroker.StartAsync(ct);
        await broker.CreateTopicAsync("orders", 1, ct);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            string[] orders =
            [
                .. Enumerable.Range(1, 2).Select(i => $$"""{"order_id":"w{{i}}","customer_id":"c2","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Jam","unit_price":3,"quantity":{{i}}}]}"""),
            ];
            foreach (var value in orders)
            {
                await producer.ProduceAsync("orders", new Message<string, byte[]> { Key = "k", Value = Encoding.UTF8.GetBytes(value) }, ct);
            }

            var latin1 = Encoding.Latin1.GetBytes("""{"order_id":"l1","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}""");
            await producer.ProduceAsync("orders", new Message<string, byte[]> { Key = "k", Value = latin1 }, ct);
        }

        Pipeline(broker.BootstrapServers, "line_item");
        var sync = await SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
        Assert.Empty(Landed());

        Pipeline(broker.BootstrapServers, "affinsy");
        var replay = await HostProcess.RunAsync(WorkDir, Env, "dead-letters", "replay", "shop", "--json");
        var summary = Summary(replay.Stdout);
        Assert.Equal((2, 1, 2L), (summary.GetProperty("passed").GetInt32(), summary.GetProperty("still_failing").GetInt32(), summary.GetProperty("orders_sent").GetInt64()));
        Assert.Equal(Canonical([new("w1", "Jam", 3, 1, "c2", Day), new("w2", "Jam", 3, 2, "c2", Day)]), Landed());

        var requests = Server.Gate.IngestsAdmitted.Value;
        var again = await HostProcess.RunAsync(WorkDir, Env, "dead-letters", "replay", "shop", "--json");
        summary = Summary(again.Stdout);
        Assert.Equal((0, 1, 0L), (summary.GetProperty("passed").GetInt32(), summary.GetProperty("still_failing").GetInt32(), summary.GetProperty("orders_sent").GetInt64()));
        Assert.Equal(requests, Server.Gate.IngestsAdmitted.Value);
        Assert.Contains(again.Stdout.Split('\n'), l => l.Contains("not valid UTF-8 (byte 0xE9", StringComparison.Ordinal));
    }

    private void Pipeline(string bootstrap, string format) => WritePipelines($$"""
          - name: shop
            dataset_id: shop
            source: { type: kafka, bootstrap_servers: "{{bootstrap}}", topics: [orders], group_id: e2e-store-replay, format: {{format}}, properties: { session.timeout.ms: "6000" } }
        """);

    private static JsonElement Summary(string stdout)
    {
        var line = stdout.Split('\n').Last(l => l.Contains("\"summary\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
