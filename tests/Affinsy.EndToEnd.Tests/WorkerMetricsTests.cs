using System.Net;
using System.Text.Json;
using Affinsy.Host.Tests;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>affinsy-connect run</c> as a real process: after a scheduled sync and its report, <c>GET /metrics</c> on the worker's
/// listener shows the metric names, types and label sets the docs (docs/deploy.md, Metrics) promise, with the counts of
/// what actually reached the reference server, and nothing of prometheus-net's own default collectors.
/// </summary>
public sealed class WorkerMetricsTests : SyncFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_sync_and_its_report_the_scrape_shows_the_documented_names_labels_and_the_counts_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Path.Combine(WorkDir, "orders.csv"), 40, seed: 3);
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
              ingest: { max_line_items_per_request: 50 }
            state: { path: state/state.db }
            worker: { listen: "http://127.0.0.1:0" }
            pipelines:
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                schedule: "0/2 * * * * ?"
                reports: [ { template: standard_rfm } ]
            """);
        using var worker = HostProcess.Start(WorkDir, Env, "run", "--log-format", "json");
        var listening = await ListeningAsync(worker);
        await worker.WaitForLineAsync(l => l.Contains("Report standard_rfm of shop Completed", StringComparison.Ordinal), Limit);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(listening, "metrics"), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var scrape = Exposition.Parse(body);
        var lines = Server.Store.LoadLines("local", "shop").Count;
        Assert.Equal(store.Rows.Count, lines);

        Assert.Equal("counter", scrape.Types["affinsy_orders_read_total"]);
        Assert.Equal(40, Only(scrape, "affinsy_orders_read_total", "pipeline").Value);
        Assert.Equal(lines, Only(scrape, "affinsy_line_items_sent_total", "pipeline").Value);

        // ceil(lines / 50) requests at least, all accepted: the reference server has no reason to refuse any.
        var requests = Only(scrape, "affinsy_requests_total", "outcome", "pipeline", "status_class");
        Assert.Equal(("accepted", "2xx"), (requests["outcome"], requests["status_class"]));
        Assert.True(requests.Value >= Math.Ceiling(lines / 50.0), $"{requests.Value} requests for {lines} line items");

        Assert.Equal("histogram", scrape.Types["affinsy_sync_duration_seconds"]);
        Assert.Contains(scrape.Named("affinsy_sync_duration_seconds_count", "shop"), s => s["outcome"] == "completed" && s.Value >= 1);
        var report = Only(scrape, "affinsy_report_duration_seconds_count", "pipeline", "status", "template");
        Assert.Equal(("standard_rfm", "Completed", 1.0), (report["template"], report["status"], report.Value));
        Assert.Equal("gauge", scrape.Types["affinsy_checkpoint_lag_seconds"]);
        Assert.True(Only(scrape, "affinsy_checkpoint_lag_seconds", "pipeline").Value > 0);

        // The runtime's series come from its System.Runtime meter, once: none of prometheus-net's default collectors.
        Assert.Equal("counter", scrape.Types["dotnet_gc_collections_total"]);
        Assert.DoesNotContain(scrape.Types.Keys, name =>
            name.StartsWith("prometheus_net_", StringComparison.Ordinal) || name.StartsWith("process_", StringComparison.Ordinal)
            || name == "dotnet_collection_count_total" || name == "dotnet_total_memory_bytes");
    }

    /// <summary>The one sample of <paramref name="name"/> for pipeline <c>shop</c>, checking its label names are exactly these.</summary>
    private static Sample Only(Exposition scrape, string name, params string[] labels)
    {
        var sample = Assert.Single(scrape.Named(name, "shop"));
        Assert.Equal(labels, sample.Labels.Keys.Order(StringComparer.Ordinal));
        return sample;
    }

    private static async Task<Uri> ListeningAsync(HostProcess worker)
    {
        var started = await worker.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Limit);
        var message = JsonDocument.Parse(started).RootElement.GetProperty("Message").GetString()!;
        return new Uri(System.Text.RegularExpressions.Regex.Match(message, @"http://127\.0\.0\.1:\d+").Value);
    }
}
