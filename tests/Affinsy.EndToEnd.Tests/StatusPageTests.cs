using System.Net;
using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// The worker's status page in headless Chromium: after a sync and its report, <c>GET /</c> shows the
/// pipeline's last run (its skipped orders by reason apart from its dead letters) and links to its report page (served read-only by the worker), <c>/api/status</c> says the
/// same, paths outside the reports directory are refused, and no secret is on either.
/// </summary>
public sealed class StatusPageTests : SyncFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_status_page_shows_a_pipeline_last_run_and_serves_its_report_page_after_a_sync()
    {
        await using var browser = await Browser.StartAsync();
        await StartServerAsync();
        WriteStoreAndConfig();

        // A sync, then the worker (its schedule never fires during the test): the page shows that sync as the last run,
        // read from the state store the two share.
        var (code, stdout, stderr) = await HostProcess.RunAsync(WorkDir, Env, "sync");
        Assert.True(code == 0, stdout + stderr);
        using var worker = HostProcess.Start(WorkDir, Env, "run", "--log-format", "json");
        var started = await worker.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Limit);
        var listen = new Uri(System.Text.RegularExpressions.Regex.Match(started, @"http://127\.0\.0\.1:\d+").Value);

        await AssertStatusPageAsync(browser, listen);

        // The link opens the report page, served by the worker, with nothing else requested.
        var report = await browser.OpenAsync(new Uri(listen, "/reports/shop/standard_rfm/latest.html").AbsoluteUri);
        Assert.Empty(report.Errors);
        Assert.True(await report.CountAsync("#segment-chart .segment-mark") > 0);

        using var http = new HttpClient();
        await AssertApiStatusAsync(http, listen);

        foreach (var outside in new[] { "/reports/../connectors.yaml", "/reports/%2e%2e/%2e%2e/connectors.yaml", "/reports/shop/standard_rfm/latest.json.tmp", "/reports//etc/passwd" })
        {
            using var refused = await http.GetAsync(new Uri(listen.AbsoluteUri.TrimEnd('/') + outside), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(Limit));
    }

    /// <summary>200 orders, two orders of nothing but zero quantities, and one scheduled pipeline that never fires.</summary>
    private void WriteStoreAndConfig()
    {
        new StoreFile().AppendCsv(Path.Combine(WorkDir, "orders.csv"), 200, seed: 5);
        // Two orders of nothing but zero quantities: skipped by design, shown apart from dead letters.
        File.AppendAllText(Path.Combine(WorkDir, "orders.csv"), "z1,Tea,1.00,0,c1,2025-02-01T10:00:00Z\nz2,Tea,1.00,0,c2,2025-02-01T11:00:00Z\nz2,Jam,2.00,0,c2,2025-02-01T11:00:00Z\n");
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
            state: { path: state/state.db }
            webhooks: { listen: "http://127.0.0.1:0" }
            worker: { listen: "http://127.0.0.1:0" }
            pipelines:
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                schedule: "0 0 0 1 1 ? 2099"
                reports: [ { template: standard_rfm } ]
            """);
    }

    /// <summary><c>GET /</c>: the last run, its counts and skipped orders by reason, the report link, nothing else requested, no key.</summary>
    private static async Task AssertStatusPageAsync(Browser browser, Uri listen)
    {
        var page = await browser.OpenAsync(listen.AbsoluteUri);
        await page.ScreenshotAsync("worker-status");
        Assert.Empty(page.Errors);
        Assert.Equal([listen.AbsoluteUri], page.Requests);
        Assert.Equal("completed", (await page.TextsAsync("tr[data-pipeline=shop] .outcome"))[0]);
        Assert.Equal(["standard_rfm"], await page.TextsAsync("tr[data-pipeline=shop] a.report-link"));
        Assert.Equal("200", (await page.TextsAsync("tr[data-pipeline=shop] td:nth-child(4)"))[0]);
        Assert.Equal(["2 zero_quantity"], await page.TextsAsync("tr[data-pipeline=shop] td.skipped [data-reason]"));
        Assert.StartsWith("2", (await page.TextsAsync("tr[data-pipeline=shop] td.skipped"))[0], StringComparison.Ordinal);
        Assert.Equal("0", (await page.TextsAsync("tr[data-pipeline=shop] td:nth-child(7)"))[0]);
        var content = await page.Page.GetContentAsync();
        Assert.DoesNotContain(Key, content, StringComparison.Ordinal);
    }

    /// <summary><c>GET /api/status</c> says what the page says, without the key.</summary>
    private static async Task AssertApiStatusAsync(HttpClient http, Uri listen)
    {
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(listen, "/api/status"), TestContext.Current.CancellationToken));
        var shop = status.RootElement.GetProperty("pipelines")[0];
        Assert.Equal("shop", shop.GetProperty("name").GetString());
        Assert.Equal("Completed", shop.GetProperty("last_run").GetProperty("outcome").GetString());
        Assert.Equal(200, shop.GetProperty("last_run").GetProperty("orders_read").GetInt64());
        Assert.Equal(2, shop.GetProperty("last_run").GetProperty("skipped").GetProperty("zero_quantity").GetInt64());
        Assert.Equal(0, shop.GetProperty("dead_letters").GetInt64());
        Assert.DoesNotContain(Key, status.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
