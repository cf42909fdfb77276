using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// Messages a streaming Kafka pipeline sends to its dead-letter topic are dead letters like any other for the operator:
/// the worker's <c>affinsy_dead_letters_total</c>, the run history (<c>runs</c>) and <c>status</c> count them.
/// </summary>
public sealed partial class KafkaDeadLetterTopicTests : SyncFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Poison_messages_sent_to_the_dead_letter_topic_are_counted_in_the_metric_the_run_history_and_status()
    {
        await StartServerAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await Affinsy.Testing.Kafka.KafkaBroker.StartAsync(ct);
        await broker.CreateTopicAsync("orders", 2, ct);
        await broker.CreateTopicAsync("orders-dlt", 1, ct);
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
            state: { path: state/state.db }
            webhooks: { listen: "http://127.0.0.1:0" }
            worker: { listen: "http://127.0.0.1:0", drain_timeout: 20s }
            pipelines:
              - name: events
                dataset_id: shop
                source: { type: kafka, bootstrap_servers: "{{broker.BootstrapServers}}", topics: [orders], group_id: e2e-dlt, stream: true, commit_interval: 1s, dead_letter_topic: orders-dlt }
            """);
        using var worker = HostProcess.Start(WorkDir, Env, "run", "--log-format", "json");
        await worker.WaitForLineAsync(l => l.Contains("Sync of events started", StringComparison.Ordinal), Limit);

        // Five poison messages between twenty good orders; the last message is a good order, so once every row has
        // landed every batch before it (and its dead letters) was taken by the pipeline.
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 25; i++)
            {
                var value = (i % 5) switch
                {
                    1 when i < 20 => "not json at all"u8.ToArray(),
                    3 when i < 20 => Encoding.Latin1.GetBytes($$"""{"order_id":"p{{i}}","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}"""),
                    _ when i == 22 => Encoding.UTF8.GetBytes($$"""{"order_id":"p{{i}}","line_items":[{"product_name":"Tea","unit_price":2,"quantity":-1}]}"""),
                    _ => Encoding.UTF8.GetBytes($$"""{"order_id":"k{{i}}","customer_id":"c1","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Tea","unit_price":2,"quantity":1}]}"""),
                };
                await producer.ProduceAsync(new TopicPartition("orders", new Partition(i % 2)), new Message<string, byte[]> { Key = $"k{i}", Value = value }, ct);
            }
        }

        const int Poison = 9; // i % 5 == 1 or 3 below 20 (eight) and the negative quantity at 22
        await Server.Store.RowsInserted.WhenAtLeastAsync(25 - Poison).WaitAsync(Limit, ct);
        var listening = new Uri(await ListeningAsync(worker), "metrics");
        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(listening, ct);
            Assert.Matches(DeadLetterMetric(), metrics);
            Assert.Equal(Poison, long.Parse(DeadLetterMetric().Match(metrics).Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        Assert.Equal(Poison, broker.ReadAll("orders-dlt", ct).Count);
        var runs = await HostProcess.RunAsync(WorkDir, Env, "runs", "events", "--json");
        Assert.Equal(Poison, JsonDocument.Parse(runs.Stdout).RootElement[0].GetProperty("dead_lettered").GetInt64());
        var status = await HostProcess.RunAsync(WorkDir, Env, "status", "--json");
        Assert.Equal(Poison, JsonDocument.Parse(status.Stdout).RootElement[0].GetProperty("last_run").GetProperty("dead_lettered").GetInt64());
        var table = await HostProcess.RunAsync(WorkDir, Env, "status");
        Assert.Equal($"0 {Poison} in the last run", Column(table.Stdout, "dead letters"));
    }

    /// <summary>The text of one column of the <c>status</c> table's single pipeline row, its wrapped lines joined.</summary>
    private static string Column(string table, string header)
    {
        var rows = table.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Split('│')).ToList();
        var separator = table.Split('\n').ToList().FindIndex(l => l.StartsWith('├'));
        var headerRows = table.Split('\n').Take(separator).Count(l => l.StartsWith('│'));
        var names = Enumerable.Range(0, rows[0].Length).Select(i => string.Join(' ', rows.Take(headerRows).Select(r => r[i].Trim())).Trim()).ToList();
        var index = names.IndexOf(header);
        Assert.True(index > 0, $"no column '{header}' in:\n{table}");
        return string.Join(' ', rows.Skip(headerRows).Select(r => r[index].Trim()).Where(t => t.Length > 0));
    }

    private static async Task<Uri> ListeningAsync(HostProcess worker)
    {
        var started = await worker.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Limit);
        return new Uri(ListeningUrl().Match(JsonDocument.Parse(started).RootElement.GetProperty("Message").GetString()!).Value);
    }

    [GeneratedRegex("""affinsy_dead_letters_total\{[^}]*pipeline="events"[^}]*\} (?<count>\d+)""")]
    private static partial Regex DeadLetterMetric();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningUrl();
}
