using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// What <c>sync</c> tells the operator, through the real executable against the reference server: Ctrl+C stops at a
/// checkpoint with an "interrupted" summary, run and exit code; a second sync of a pipeline being synced is refused
/// (exit 3) or waits; a pass that sent nothing does not re-run the reports.
/// </summary>
public sealed class RunTruthTests : SyncFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Csv => Path.Combine(WorkDir, "orders.csv");

    /// <summary>Small requests paced at 20 a second: a few thousand orders take long enough to be interrupted mid-way.</summary>
    private const string Slow = "{ max_line_items_per_request: 20, requests_per_minute: 20, window_seconds: 1 }";

    /// <summary>The reference server's limit to match <see cref="Slow"/> (its default is 60 a minute).</summary>
    private const string SlowServer = "limits: { requests_per_window: 20, window_seconds: 1 }";

    private static void Interrupt(HostProcess process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private async Task<JsonElement> RunsAsync()
    {
        var runs = await HostProcess.RunAsync(WorkDir, Env, "runs", "--json");
        Assert.True(runs.ExitCode == 0, runs.Stdout + runs.Stderr);
        return JsonDocument.Parse(runs.Stdout).RootElement.Clone();
    }

    [Fact]
    public async Task Ctrl_C_mid_sync_saves_the_acknowledged_checkpoint_says_interrupted_exits_130_and_the_next_sync_lands_the_rest_exactly()
    {
        await StartServerAsync(SlowServer);
        var store = new StoreFile();
        store.AppendCsv(Csv, 3000, seed: 31);
        WriteConfig("{ type: csv, path: orders.csv, batch_max_orders: 100 }", Slow, "worker: { drain_timeout: 20s }");
        using var sync = HostProcess.Start(WorkDir, Env, "sync");

        await Server.Gate.IngestsAdmitted.WhenAtLeastAsync(10).WaitAsync(Limit, Ct);
        Interrupt(sync);

        Assert.Equal(130, await sync.WaitAsync(Limit));
        Assert.Contains("shop -> dataset shop: interrupted", sync.Stdout, StringComparison.Ordinal);
        Assert.Contains("Interrupted: every acknowledged batch is checkpointed", sync.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", sync.Output, StringComparison.Ordinal);
        var partial = Landed().Count;
        Assert.True(partial > 0 && partial < store.Rows.Count, $"interrupted mid-way ({partial} of {store.Rows.Count} rows)");

        var runs = await RunsAsync();
        Assert.Equal("Interrupted", runs[0].GetProperty("outcome").GetString());
        Assert.True(runs[0].GetProperty("line_items_sent").GetInt64() > 0);
        var status = await HostProcess.RunAsync(WorkDir, Env, "status", "--json");
        Assert.Equal("Interrupted", JsonDocument.Parse(status.Stdout).RootElement[0].GetProperty("last_run").GetProperty("outcome").GetString());
        Assert.Equal(0, status.ExitCode);

        WriteConfig("{ type: csv, path: orders.csv, batch_max_orders: 100 }");
        var again = await SyncAsync();
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        // Resumed from the checkpoint: it read only what the interrupted run had not acknowledged.
        var resumed = (await RunsAsync())[0];
        Assert.Equal("Completed", resumed.GetProperty("outcome").GetString());
        Assert.True(resumed.GetProperty("orders_read").GetInt64() < store.Orders);
    }

    [Fact]
    public async Task A_second_Ctrl_C_while_draining_stops_at_once_with_exit_130_and_one_line()
    {
        // Each request of 1,000 line items takes the server 5 s, so the drain after the first Ctrl+C is still waiting.
        await StartServerAsync("limits: { ingest_delay_ms_per_1000_line_items: 5000 }");
        new StoreFile().AppendCsv(Csv, 2000, seed: 34);
        WriteConfig("{ type: csv, path: orders.csv, batch_max_orders: 500 }", extra: "worker: { drain_timeout: 5m }");
        using var sync = HostProcess.Start(WorkDir, Env, "sync");
        await Server.Gate.IngestsAdmitted.WhenAtLeastAsync(1).WaitAsync(Limit, Ct);

        Interrupt(sync);
        await sync.WaitForLineAsync(l => l.StartsWith("Interrupted: finishing the requests in flight", StringComparison.Ordinal), Limit);
        var printed = sync.Output.Length;
        Interrupt(sync);

        Assert.Equal(130, await sync.WaitAsync(Limit));
        // One line, besides a progress line the periodic printer may have let out meanwhile.
        var after = sync.Output[printed..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("shop: read ", StringComparison.Ordinal)).ToList();
        Assert.Equal("Stopped at once", Assert.Single(after)[.."Stopped at once".Length]);
        Assert.DoesNotContain("orders read", sync.Stdout, StringComparison.Ordinal); // no summary: it did not wait for one
    }

    [Fact]
    public async Task A_sync_of_a_pipeline_another_process_holds_exits_3_naming_the_holder_and_with_wait_runs_once_it_is_released()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 300, seed: 32);
        WriteConfig("{ type: csv, path: orders.csv }");
        // Another process's pass, holding the lease in the same state file (so the test decides when it ends).
        await using var state = await SqliteStateBackend.OpenAsync(new StateSettings { Path = Path.Combine(WorkDir, "state/state.db") }, TimeProvider.System, Ct);
        Assert.True((await state.Leases.AcquireAsync("shop", "other-host/4242", Ct)).Granted);

        var refused = await SyncAsync();
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("pipeline shop is being synced by other-host/4242 since ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("affinsy-connect sync shop --wait", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(Landed());

        using var waiting = HostProcess.Start(WorkDir, Env, "sync", "--wait");
        await waiting.WaitForLineAsync(l => l.Contains("Waiting: pipeline shop is being synced by other-host/4242", StringComparison.Ordinal), Limit);
        Assert.Empty(Landed());
        await state.Leases.ReleaseAsync("shop", "other-host/4242", Ct);

        Assert.Equal(0, await waiting.WaitAsync(Limit));
        Assert.Equal(Canonical(store.Rows), Landed());
        var runs = await RunsAsync();
        Assert.Equal(1, runs.GetArrayLength()); // the refused sync recorded no run
        Assert.Equal("Completed", runs[0].GetProperty("outcome").GetString());
        Assert.Null(await state.Leases.GetAsync("shop", Ct)); // given up at the end
    }

    [Fact]
    public async Task A_sync_that_sends_nothing_new_does_not_rerun_the_reports()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 100, seed: 33);
        WritePipelines("""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
                reports: [ { template: standard_rfm } ]
            """);

        var firstSync = await SyncAsync();
        var secondSync = await SyncAsync();

        Assert.True(firstSync.ExitCode == 0, firstSync.Stdout + firstSync.Stderr);
        Assert.Contains("standard_rfm", firstSync.Stdout, StringComparison.Ordinal);
        Assert.True(secondSync.ExitCode == 0, secondSync.Stdout + secondSync.Stderr);
        Assert.Contains("Reports not run: nothing new was sent", secondSync.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, await ReportCountAsync());
    }

    [Fact]
    public async Task Validate_names_a_wrong_reports_when_with_its_line()
    {
        await StartServerAsync();
        File.WriteAllText(Csv, "order_id,product_name,unit_price,quantity\n1,a,1,1\n");
        WriteConfig("{ type: csv, path: orders.csv }\n    reports_when: sometimes\n    reports: [ { template: standard_rfm } ]");

        var validate = await HostProcess.RunAsync(WorkDir, Env, "validate");

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("connectors.yaml:11 pipelines[0].reports_when", validate.Stdout + validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("always", validate.Stdout + validate.Stderr, StringComparison.Ordinal);
    }

    private async Task<int> ReportCountAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        var reports = JsonDocument.Parse(await http.GetStringAsync(new Uri(Server.ApiBase, "reports"), Ct));
        return reports.RootElement.GetProperty("reports").GetArrayLength();
    }
}
