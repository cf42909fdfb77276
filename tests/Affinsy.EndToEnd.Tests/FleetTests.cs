using System.Text.RegularExpressions;
using Affinsy.Testing.Postgres;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>One PostgreSQL shared by every test of the class (a new database each).</summary>
public sealed class FleetDatabase : IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    public async Task<string> CreateOrSkipAsync()
    {
        var connection = await _server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        if (connection is null)
        {
            Assert.Skip(_server.SkipReason ?? "no PostgreSQL server for the tests");
        }

        return connection;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>
/// Two real worker processes sharing one PostgreSQL state database: Quartz's clustered store gives each
/// scheduled firing to exactly one of them, and a worker killed mid-sync has its run taken over.
/// </summary>
public sealed partial class FleetTests(FleetDatabase database) : SyncFixture, IClassFixture<FleetDatabase>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private string Csv => Path.Combine(WorkDir, "orders.csv");

    private async Task<Dictionary<string, string>> WriteFleetConfigAsync(string ingest, string source)
    {
        var connection = await database.CreateOrSkipAsync();
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
              ingest: {{ingest}}
            state: { provider: postgres, connection_string: "${E2E_STATE}" }
            worker: { listen: "http://127.0.0.1:0", drain_timeout: 20s, cluster_checkin_interval: 1s }
            pipelines:
              - name: shop
                dataset_id: shop
                source: {{source}}
                schedule: "0/2 * * * * ?"
            """);
        return new Dictionary<string, string>(Env) { ["E2E_STATE"] = connection };
    }

    [GeneratedRegex(@"Scheduled sync of shop for (\S+) ")]
    private static partial Regex Firing();

    private static IEnumerable<string> FireTimes(HostProcess worker) =>
        worker.Output.Split('\n').Select(l => Firing().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    [Fact]
    public async Task Two_workers_on_one_database_run_each_scheduled_firing_once()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 200, seed: 21);
        var env = await WriteFleetConfigAsync("{ max_line_items_per_request: 1000 }", "{ type: csv, path: orders.csv }");
        using var a = HostProcess.Start(WorkDir, env, "run", "--log-format", "json");
        using var b = HostProcess.Start(WorkDir, env, "run", "--log-format", "json");

        static bool Done(string l) => l.Contains("Sync of shop completed", StringComparison.Ordinal);
        await HostProcess.WaitUntilAsync(() => a.CountLines(Done) + b.CountLines(Done) >= 6, Limit, a, b);
        a.Terminate();
        b.Terminate();
        Assert.Equal(0, await a.WaitAsync(Limit));
        Assert.Equal(0, await b.WaitAsync(Limit));

        var fired = FireTimes(a).Concat(FireTimes(b)).ToList();
        Assert.True(fired.Count >= 6, string.Join(", ", fired));
        Assert.Equal(fired.Count, fired.Distinct(StringComparer.Ordinal).Count()); // no firing ran on both
        Assert.Equal(Canonical(store.Rows), Landed());
    }

    [Fact]
    public async Task A_worker_killed_mid_sync_has_its_run_finished_by_the_other_without_loss()
    {
        await StartServerAsync("limits: { requests_per_window: 20, window_seconds: 1 }");
        var store = new StoreFile();
        store.AppendCsv(Csv, 1500, seed: 22);
        var env = await WriteFleetConfigAsync("{ max_line_items_per_request: 25, requests_per_minute: 20, window_seconds: 1 }",
            "{ type: csv, path: orders.csv, batch_max_orders: 50 }");
        using var a = HostProcess.Start(WorkDir, env, "run", "--log-format", "json");
        using var b = HostProcess.Start(WorkDir, env, "run", "--log-format", "json");

        // Whichever worker took the first firing dies once Affinsy has taken a few of its requests.
        static bool Started(string l) => l.Contains("Sync of shop started", StringComparison.Ordinal);
        await HostProcess.WaitUntilAsync(() => a.CountLines(Started) + b.CountLines(Started) >= 1, Limit, a, b);
        var (victim, survivor) = a.CountLines(Started) > 0 ? (a, b) : (b, a);
        await Server.Gate.IngestsAdmitted.WhenAtLeastAsync(5).WaitAsync(Limit, TestContext.Current.CancellationToken);
        victim.Kill();

        await survivor.WaitForLineAsync(l => l.Contains("Sync of shop completed", StringComparison.Ordinal) && !l.Contains(" 0 orders read", StringComparison.Ordinal), Limit);
        Assert.Contains("recovering a dead worker's run: True", survivor.Output.Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        survivor.Terminate();
        Assert.Equal(0, await survivor.WaitAsync(Limit));
        Assert.Equal(Canonical(store.Rows), Landed());
    }
}
