using System.Text.Json;
using Affinsy.Core.State;
using Affinsy.Emulators.Shopify;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>affinsy-connect run</c> as a real process against the reference server and the Shopify emulator on
/// loopback: schedules fire on a short cron, reports follow each successful sync by signed webhook, a
/// failed sync triggers none, and SIGTERM drains to a consistent checkpoint.
/// </summary>
public sealed class WorkerTests : SyncFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private string Csv => Path.Combine(WorkDir, "orders.csv");

    private HostProcess StartWorker(string pipelines, string ingest = "{ max_line_items_per_request: 1000 }", string drain = "20s")
    {
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
              ingest: {{ingest}}
            state: { path: state/state.db }
            webhooks: { listen: "http://127.0.0.1:0" }
            worker: { listen: "http://127.0.0.1:0", drain_timeout: {{drain}} }
            pipelines:
            {{pipelines}}
            """);
        return HostProcess.Start(WorkDir, Env, "run", "--log-format", "json");
    }

    private static Func<string, bool> Message(string contains) => line => line.Contains(contains, StringComparison.Ordinal);

    private static string MessageOf(string jsonLine) => JsonDocument.Parse(jsonLine).RootElement.GetProperty("Message").GetString()!;

    /// <summary>The worker's health and metrics listener, from its start line.</summary>
    private static async Task<Uri> ListeningAsync(HostProcess worker)
    {
        var started = await worker.WaitForLineAsync(Message("listening on"), Limit);
        return new Uri(System.Text.RegularExpressions.Regex.Match(MessageOf(started), @"http://127\.0\.0\.1:\d+").Value);
    }

    [Fact]
    public async Task A_file_and_a_Shopify_pipeline_run_on_schedule_and_each_sync_is_followed_by_its_reports_by_webhook()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 300, seed: 11);
        await using var shop = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 120, Throttle = false, BulkDuration = TimeSpan.Zero }, TimeProvider.System, TestContext.Current.CancellationToken);
        using var worker = StartWorker($$"""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                schedule: "0/2 * * * * ?"
                keep_reports: 1
                reports_when: always # the second sync reads nothing new, and still reports
                reports: [ { template: standard_rfm } ]
              - name: shopify
                dataset_id: shopify
                source: { type: shopify, shop: emulated.myshopify.com, access_token: shpat_emulator, base_url: "{{shop.BaseUrl}}", mode: graphql }
                schedule: "1/2 * * * * ?"
                reports_when: always
                reports: [ { template: standard_rfm } ]
            """);

        // Two syncs of each pipeline, each followed by its report (the second sync of the file reads nothing new).
        foreach (var pipeline in new[] { "shop", "shopify" })
        {
            await worker.WaitForLineAsync(l => worker.CountLines(Message($"Report standard_rfm of {pipeline} Completed")) >= 2, Limit);
        }

        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        var log = worker.Output;
        Assert.Contains("Sync of shop completed", log, StringComparison.Ordinal);
        Assert.Contains("Sync of shopify completed", log, StringComparison.Ordinal);
        Assert.DoesNotContain("learnt by polling", log, StringComparison.Ordinal);
        Assert.Equal(Canonical(store.Rows), Landed());
        Assert.NotEmpty(Server.Store.LoadLines("local", "shopify"));

        // keep_reports: 1 keeps one result (plus latest.json), each with its HTML page (pruned with it), for the
        // file pipeline; the other keeps the default 20.
        var fileReports = Directory.GetFiles(Path.Combine(WorkDir, "out/reports/shop/standard_rfm"));
        Assert.Equal(["latest.html", "latest.json"], fileReports.Select(Path.GetFileName).Where(n => n!.StartsWith("latest.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(4, fileReports.Length);
        Assert.Single(fileReports, f => f.EndsWith(".html", StringComparison.Ordinal) && !f.EndsWith("latest.html", StringComparison.Ordinal));
        Assert.True(Directory.GetFiles(Path.Combine(WorkDir, "out/reports/shopify/standard_rfm"), "*-rep_*.json").Length >= 2);

        // Every log line of a run carries its pipeline and run id.
        var started = log.Split('\n').First(Message("Sync of shopify started"));
        var scopes = JsonDocument.Parse(started).RootElement.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("pipeline", out var p) && p.GetString() == "shopify" && s.TryGetProperty("run_id", out var r) && r.GetString()!.StartsWith("run_", StringComparison.Ordinal));
        Assert.DoesNotContain("shpat_emulator", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sync_triggers_no_report_and_the_history_says_why()
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 10, Throttle = false }, TimeProvider.System, TestContext.Current.CancellationToken);
        using var worker = StartWorker($$"""
              - name: shopify
                dataset_id: shopify
                source: { type: shopify, shop: emulated.myshopify.com, access_token: shpat_wrong_token, base_url: "{{shop.BaseUrl}}", mode: graphql }
                schedule: "0/2 * * * * ?"
                reports: [ { template: standard_rfm } ]
            """);

        await worker.WaitForLineAsync(l => worker.CountLines(Message("Sync of shopify failed")) >= 2, Limit);
        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        Assert.DoesNotContain("Report standard_rfm", worker.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(WorkDir, "out/reports")));
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
            var reports = JsonDocument.Parse(await http.GetStringAsync(new Uri(Server.ApiBase, "reports"), TestContext.Current.CancellationToken));
            Assert.Equal(0, reports.RootElement.GetProperty("reports").GetArrayLength());
        }

        // The termination may cut one more firing short (recorded as such); every other sync failed on the token.
        var runs = await HostProcess.RunAsync(WorkDir, Env, "runs", "shopify", "--json");
        var history = JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray().ToList();
        var failed = history.Where(r => r.GetProperty("outcome").GetString() == "Failed").ToList();
        Assert.True(failed.Count >= 2, runs.Stdout);
        Assert.True(history.Count - failed.Count <= 1, runs.Stdout);
        Assert.All(failed, r => Assert.Contains("401", r.GetProperty("error").GetString()!, StringComparison.Ordinal));
        var status = await HostProcess.RunAsync(WorkDir, Env, "status", "--json");
        Assert.DoesNotContain("shpat_wrong_token", runs.Stdout + status.Stdout + worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_mid_sync_drains_to_a_consistent_checkpoint_and_the_next_sync_lands_the_rest_exactly()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 4000, seed: 12);
        using var worker = StartWorker("""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv, batch_max_orders: 100 }
                schedule: "0/1 * * * * ?"
            """, ingest: "{ max_line_items_per_request: 20, requests_per_minute: 20, window_seconds: 1 }");

        await Server.Gate.IngestsAdmitted.WhenAtLeastAsync(10).WaitAsync(Limit, TestContext.Current.CancellationToken);
        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        Assert.Contains("Sync of shop cancelled", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Drained", worker.Output, StringComparison.Ordinal);
        var landed = Landed();
        Assert.NotEmpty(landed);
        Assert.True(landed.Count < store.Rows.Count, "the drain stopped the sync before the end of the file");
        await using (var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(WorkDir, "state/state.db"), TimeProvider.System, TestContext.Current.CancellationToken))
        {
            Assert.NotNull(await checkpoints.GetAsync("shop", TestContext.Current.CancellationToken));
        }

        // Everything the checkpoint covers landed; the next sync (with full-size requests, to be quick) sends the rest exactly.
        var config = Path.Combine(WorkDir, "connectors.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("max_line_items_per_request: 20,", "max_line_items_per_request: 1000,", StringComparison.Ordinal));
        var again = await SyncAsync();
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
    }

    [Fact]
    public async Task Run_once_runs_every_scheduled_pipeline_and_its_reports_then_exits()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 200, seed: 13);
        WritePipelines("""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                schedule: "0 0 3 * * ?"
                reports: [ { template: standard_rfm } ]
              - name: unscheduled
                dataset_id: other
                source: { type: csv, path: orders.csv }
            """);

        var run = await HostProcess.RunAsync(WorkDir, Env, "run", "--once", "--log-format", "json");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        Assert.Empty(Server.Store.LoadLines("local", "other"));
        Assert.Contains("Report standard_rfm of shop Completed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("learnt by polling", run.Stderr, StringComparison.Ordinal); // no webhooks section: polling
    }

    [Fact]
    public async Task Health_is_live_and_readiness_follows_the_Affinsy_API()
    {
        await StartServerAsync();
        File.WriteAllText(Csv, "order_id,product_name,unit_price,quantity,customer_id,order_date\n");
        using var worker = StartWorker("""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                schedule: "0 0 3 * * ?"
            """);
        var url = await ListeningAsync(worker);
        using var http = new HttpClient();

        var live = await http.GetAsync(new Uri(url, "healthz"), TestContext.Current.CancellationToken);
        var ready = await http.GetAsync(new Uri(url, "readyz"), TestContext.Current.CancellationToken);
        await Server.DisposeAsync();
        var notReady = await http.GetAsync(new Uri(url, "readyz"), TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.Equal("ok", body.GetProperty("state").GetString());
        Assert.StartsWith("unreachable", body.GetProperty("affinsy").GetString(), StringComparison.Ordinal);
        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));
    }

    [Fact]
    public async Task A_streaming_Kafka_pipeline_keeps_consuming_triggers_reports_by_volume_and_commits_on_SIGTERM()
    {
        await StartServerAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await Affinsy.Testing.Kafka.KafkaBroker.StartAsync(ct);
        await broker.CreateTopicAsync("orders", 2, ct);
        using var worker = StartWorker($$"""
              - name: events
                dataset_id: shop
                source: { type: kafka, bootstrap_servers: "{{broker.BootstrapServers}}", topics: [orders], group_id: e2e-worker, stream: true, commit_interval: 1s }
                reports_after: { orders: 50 }
                reports: [ { template: standard_rfm } ]
            """);
        await worker.WaitForLineAsync(Message("Sync of events started"), Limit);

        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < 100; i++)
            {
                var order = $$"""{"order_id":"k{{i}}","customer_id":"c{{i % 7}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"p{{i % 5}}","unit_price":2.5,"quantity":1},{"product_name":"q{{i % 3}}","unit_price":4,"quantity":2}]}""";
                await producer.ProduceAsync("orders", new Confluent.Kafka.Message<string?, string> { Key = $"k{i}", Value = order }, ct);
            }
        }

        // All 200 rows land while the consumer runs on, and the volume trigger ran the reports.
        await Server.Store.RowsInserted.WhenAtLeastAsync(200).WaitAsync(Limit, ct);
        await worker.WaitForLineAsync(Message("Report standard_rfm of events Completed"), Limit);
        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(new Uri(await ListeningAsync(worker), "metrics"), ct);
            Assert.Contains("affinsy_line_items_sent_total{pipeline=\"events\"} 200", metrics, StringComparison.Ordinal);
            Assert.Contains("affinsy_report_duration_seconds_count", metrics, StringComparison.Ordinal);
        }

        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        Assert.Equal(200, Server.Store.LoadLines("local", "shop").Count);
        Assert.Contains("Drained", worker.Output, StringComparison.Ordinal);
        Assert.Equal(100, broker.CommittedOffsets("e2e-worker", "orders").Values.Sum());
    }
}
