using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

public sealed class SyncTests : SyncFixture
{
    private string Csv => Path.Combine(WorkDir, "orders.csv");

    [Fact]
    public async Task A_sync_lands_every_order_exactly_and_a_second_sync_sends_nothing()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 2000, seed: 1);
        WriteConfig("{ type: csv, path: orders.csv }");

        var first = await SyncAsync();
        var requestsAfterFirst = Server.Gate.IngestsAdmitted.Value;
        var second = await SyncAsync();

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(requestsAfterFirst, Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(0, Server.Gate.Throttled);
    }

    [Fact]
    public async Task After_an_append_only_the_new_orders_are_sent()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(Csv, 1500, seed: 2);
        WriteConfig("{ type: csv, path: orders.csv }");
        await SyncAsync();
        var before = Server.Gate.IngestsAdmitted.Value;

        var rowsBefore = store.Rows.Count;
        store.AppendCsv(Csv, 100, seed: 3);
        var again = await SyncAsync();

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(Canonical(store.Rows), Landed());
        var newRows = store.Rows.Count - rowsBefore;
        Assert.Equal((newRows + 999) / 1000, Server.Gate.IngestsAdmitted.Value - before);
    }

    [Fact]
    public async Task Injected_errors_and_timeouts_leave_the_final_data_identical()
    {
        await StartServerAsync("faults: { error_rate: 0.2, timeout_rate: 0.1, seed: 11 }");
        var store = new StoreFile();
        store.AppendCsv(Csv, 2000, seed: 4);
        WriteConfig("{ type: csv, path: orders.csv }");

        var run = await SyncAsync();

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
    }

    [Fact]
    public async Task Requests_the_server_applies_and_answers_504_are_not_sent_again()
    {
        // The reference server models AFFINSY_API.md: an ingest answered 504 (with a request id) is still imported.
        await StartServerAsync("faults: { timeout_rate: 1.0, seed: 3 }");
        var store = new StoreFile();
        store.AppendCsv(Csv, 2000, seed: 5);
        WriteConfig("{ type: csv, path: orders.csv }");

        var run = await SyncAsync();

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        Assert.Equal(store.Rows.Count, Server.Ingest.LineItemsAnswered504.Value); // each line item applied once, none re-sent
        Assert.Contains("line items applied, answered 504 (no counts)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_tight_limits_the_sink_paces_itself_and_the_server_answers_no_429()
    {
        await StartServerAsync("limits: { requests_per_window: 5, window_seconds: 2 }");
        var store = new StoreFile();
        store.AppendCsv(Csv, 1200, seed: 5);
        WriteConfig("{ type: csv, path: orders.csv }", "{ max_line_items_per_request: 300, requests_per_minute: 5, window_seconds: 2 }");

        var run = await SyncAsync();

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.True(Server.Gate.IngestsAdmitted.Value > 5, "the run must need more than one window");
        Assert.Equal(0, Server.Gate.Throttled);
        Assert.Equal(Canonical(store.Rows), Landed());
    }

    [Fact]
    public async Task Orders_the_api_refuses_are_dead_lettered_with_its_reason_and_the_rest_land()
    {
        await StartServerAsync();
        var lines = new List<string>();
        var invalid = new HashSet<string> { "o7", "o23", "o61" };
        for (var i = 0; i < 80; i++)
        {
            var customer = invalid.Contains($"o{i}") ? new string('x', 300) : $"c{i}"; // the API caps customer_id at 256
            lines.Add($$"""{"order_id":"o{{i}}","customer_id":"{{customer}}","order_date":"2025-05-01T10:00:00Z","line_items":[{"product_name":"Tea","unit_price":2.5,"quantity":1}]}""");
        }

        await File.WriteAllLinesAsync(Path.Combine(WorkDir, "orders.jsonl"), lines, TestContext.Current.CancellationToken);
        WriteConfig("{ type: jsonl, path: orders.jsonl }");

        var run = await SyncAsync();

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(77, Landed().Count);
        Assert.DoesNotContain(Landed(), r => invalid.Contains(r.OrderId));
        var letters = (await File.ReadAllLinesAsync(Path.Combine(WorkDir, "state", "dead-letters", "shop.jsonl"), TestContext.Current.CancellationToken))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(invalid, letters.Select(l => l.GetProperty("order_id").GetString()!).ToHashSet());
        Assert.All(letters, l => Assert.Contains("customer_id", l.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sync_killed_mid_run_resumes_without_loss_and_resends_at_most_the_unacknowledged_tail()
    {
        await StartServerAsync("limits: { ingest_delay_ms_per_1000_line_items: 400 }");
        var store = new StoreFile();
        store.AppendCsv(Csv, 4000, seed: 6);
        WriteConfig("{ type: csv, path: orders.csv, batch_max_orders: 200 }");
        var requestsNeeded = (store.Rows.Count + 999) / 1000;

        using (var doomed = HostProcess.Start(WorkDir, Env, "sync"))
        {
            await Server.Gate.IngestsAdmitted.WhenAtLeastAsync(5).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
            doomed.Kill();
            await doomed.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var partial = Landed().Count;
        // The dead sync's lease blocks the pipeline until it expires (30 s after its last renewal): --wait waits it out.
        var resumed = await SyncAsync("--wait");

        Assert.True(partial > 0 && partial < store.Rows.Count, $"the kill should land mid-run ({partial} of {store.Rows.Count} rows)");
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        // Two requests may have been in flight when it died, and the one being packed: nothing more is re-sent.
        Assert.InRange(Server.Gate.IngestsAdmitted.Value, requestsNeeded, requestsNeeded + 4);

        // The killed run is not left 'running': the next pass marked it abandoned, ended at its last heartbeat.
        var runs = JsonDocument.Parse((await HostProcess.RunAsync(WorkDir, Env, "runs", "--json")).Stdout).RootElement;
        Assert.Equal(["Completed", "Abandoned"], runs.EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Contains("last heartbeat", runs[1].GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, runs[1].GetProperty("finished_at").ValueKind);
    }

    [Fact]
    public async Task An_invalid_file_names_each_problem_with_its_line_and_exits_2()
    {
        await StartServerAsync();
        WriteConfig("{ type: csv, path: missing.csv, delimeter: \";\" }");

        var run = await SyncAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("connectors.yaml:10 pipelines[0].source.path", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("delimeter", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }
}
