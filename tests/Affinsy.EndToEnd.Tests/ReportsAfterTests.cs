using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>reports_after: { orders: N }</c> through the real executable: each <c>sync</c> is a process of its own, so the
/// count of orders sent since the reports last ran must come from the state store, not from memory.
/// </summary>
public sealed class ReportsAfterTests : SyncFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_orders_counted_towards_reports_after_survive_a_restart_and_the_reports_run_once_the_sum_reaches_it()
    {
        await StartServerAsync();
        var csv = Path.Combine(WorkDir, "orders.csv");
        var store = new StoreFile();
        store.AppendCsv(csv, 100, seed: 41);
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy: { base_url: {{Server.ApiBase}}, api_key: "${E2E_AFFINSY_KEY}" }
            state: { path: state/state.db }
            pipelines:
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                reports_after: { orders: 150 }
                reports: [ { template: standard_rfm } ]
            """);

        var first = await SyncAsync();
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("Reports not run: 100 orders sent since they last ran, reports_after is 150", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await ReportCountAsync());

        store.AppendCsv(csv, 60, seed: 42);
        var second = await SyncAsync();

        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.DoesNotContain("Reports not run", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, await ReportCountAsync());

        // The remainder (10) carries on: 60 more make 70, short of 150.
        store.AppendCsv(csv, 60, seed: 43);
        var third = await SyncAsync();
        Assert.Contains("Reports not run: 70 orders sent since they last ran", third.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, await ReportCountAsync());
    }

    private async Task<int> ReportCountAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        var reports = JsonDocument.Parse(await http.GetStringAsync(new Uri(Server.ApiBase, "reports"), Ct));
        return reports.RootElement.GetProperty("reports").GetArrayLength();
    }
}
