using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>dead-letters replay</c> through the real executable against the reference server: a fix in the configuration
/// makes refused records land, exactly once, and the letters say what happened.
/// </summary>
public sealed class DeadLetterReplayTests : SyncFixture
{
    private static readonly DateTimeOffset Day = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string LetterFile => Path.Combine(WorkDir, "state", "dead-letters", "shop.jsonl");

    [Fact]
    public async Task Lines_refused_for_price_land_once_a_fields_mapping_is_added_and_a_second_replay_does_nothing()
    {
        await StartServerAsync();
        var expected = await WriteJsonlAsync(40, i => i % 4 == 0 ? "price" : "unit_price");
        WriteConfig("{ type: jsonl, path: orders.jsonl }");
        var sync = await SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
        Assert.Equal(Canonical(expected.Where(r => Number(r.OrderId) % 4 != 0)), Landed());
        Assert.Equal(10, (await ListAsync()).Count);

        WriteConfig("{ type: jsonl, path: orders.jsonl, fields: { unit_price: price } }");
        var replay = await RunAsync("dead-letters", "replay", "shop");

        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        Assert.Equal(Canonical(expected), Landed());
        Assert.Contains("Every letter passed and is resolved", replay.Stdout, StringComparison.Ordinal);
        Assert.Empty(await ListAsync());
        var all = await ListAsync("--all");
        Assert.Equal(10, all.Count);
        Assert.All(all, l => Assert.Equal(JsonValueKind.String, l.GetProperty("resolved_at").ValueKind));

        var requests = Server.Gate.IngestsAdmitted.Value;
        var again = await RunAsync("dead-letters", "replay", "shop");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("Nothing to replay", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(requests, Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(Canonical(expected), Landed());
    }

    [Fact]
    public async Task Rows_of_a_csv_order_refused_for_their_date_format_keep_the_header_and_all_land_after_a_replay()
    {
        await StartServerAsync();
        const string header = "order_id,product_name,unit_price,quantity,customer_id,order_date";
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), header + "\n"
            + "o1,Tea,2.5,2,c1,2025-05-01T10:00:00Z\n"
            + "m1,Tea,2.5,1,c2,5/1/2025 10:00\n"
            + "m1,\"Cake, large\",3.25,2,c2,5/1/2025 10:00\n"
            + "m1,Mug,7,1,c2,5/1/2025 10:00\n"
            + "o2,Mug,7,3,c3,2025-05-01T10:00:00Z\n", Ct);
        WriteConfig("{ type: csv, path: orders.csv }");
        var sync = await SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
        var letters = await ListAsync();
        Assert.Equal(3, letters.Count);
        Assert.All(letters, l => Assert.StartsWith(header + "\nm1,", l.GetProperty("original_record").GetString(), StringComparison.Ordinal));

        WriteConfig("{ type: csv, path: orders.csv, date_format: \"M/d/yyyy H:mm\" }");
        var replay = await RunAsync("dead-letters", "replay", "shop");

        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        ExpectedRow[] rows =
        [
            new("o1", "Tea", 2.5, 2, "c1", Day), new("m1", "Tea", 2.5, 1, "c2", Day), new("m1", "Cake, large", 3.25, 2, "c2", Day),
            new("m1", "Mug", 7, 1, "c2", Day), new("o2", "Mug", 7, 3, "c3", Day),
        ];
        Assert.Equal(Canonical(rows), Landed());
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task A_dry_run_says_what_would_pass_and_sends_and_changes_nothing()
    {
        await StartServerAsync();
        var expected = await WriteJsonlAsync(12, i => i % 3 == 0 ? "price" : "unit_price");
        WriteConfig("{ type: jsonl, path: orders.jsonl }");
        Assert.Equal(0, (await SyncAsync()).ExitCode);
        WriteConfig("{ type: jsonl, path: orders.jsonl, fields: { unit_price: price } }");
        var letterBytes = await File.ReadAllBytesAsync(LetterFile, Ct);
        var (requests, landed) = (Server.Gate.IngestsAdmitted.Value, Landed());

        var dry = await RunAsync("dead-letters", "replay", "shop", "--dry-run", "--json");

        Assert.True(dry.ExitCode == 0, dry.Stdout + dry.Stderr);
        var lines = dry.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Repeat("passed", 4), lines.Take(4).Select(l => l.GetProperty("fate").GetString()));
        Assert.All(lines.Take(4), l => Assert.False(l.GetProperty("resolved").GetBoolean()));
        Assert.True(lines[4].GetProperty("dry_run").GetBoolean());
        Assert.Equal(letterBytes, await File.ReadAllBytesAsync(LetterFile, Ct));
        Assert.Equal(requests, Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(landed, Landed());
        Assert.NotEqual(Canonical(expected), landed);
    }

    [Fact]
    public async Task Letters_that_still_fail_are_listed_once_each_with_the_reason_that_holds_now()
    {
        await StartServerAsync();
        string[] lines =
        [
            Order("p1", "price", "2.5"),
            Order("p2", "price", "\"abc\""),
            "{not json",
            Order("p4", "unit_price", "4"),
        ];
        await File.WriteAllLinesAsync(Path.Combine(WorkDir, "orders.jsonl"), lines, Ct);
        WriteConfig("{ type: jsonl, path: orders.jsonl }");
        Assert.Equal(0, (await SyncAsync()).ExitCode);
        var before = (await ListAsync()).ToDictionary(l => l.GetProperty("position").GetString()!, l => l.GetProperty("id").GetString()!);
        Assert.Equal(3, before.Count);

        WriteConfig("{ type: jsonl, path: orders.jsonl, fields: { unit_price: price } }");
        var replay = await RunAsync("dead-letters", "replay", "shop");

        Assert.True(replay.ExitCode == 1, replay.Stdout + replay.Stderr);
        Assert.Contains("still failing", replay.Stdout, StringComparison.Ordinal);
        Assert.Contains("replay again, or purge them", replay.Stdout, StringComparison.Ordinal);
        var now = await ListAsync();
        Assert.Equal(2, now.Count);
        Assert.Equal(now.Count, now.Select(l => l.GetProperty("position").GetString()).Distinct().Count());
        var notJson = Assert.Single(now, l => l.GetProperty("original_record").GetString() == "{not json");
        Assert.Equal(before[notJson.GetProperty("position").GetString()!], notJson.GetProperty("id").GetString());
        var p2 = Assert.Single(now, l => l.GetProperty("order_id").GetString() == "p2");
        Assert.Contains("abc", p2.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("but there is 'price'", p2.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["p1", "p4"], Landed().Select(r => r.OrderId).Distinct());
        Assert.Equal(4, (await ListAsync("--all")).Count); // p1 resolved, p2's old letter superseded, p2's new one, the line that is not JSON

        var again = await RunAsync("dead-letters", "replay", "shop");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(now.Select(l => l.GetProperty("id").GetString()), (await ListAsync()).Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_order_too_large_for_one_request_is_replayed_from_its_stored_json_once_the_limit_is_raised()
    {
        await StartServerAsync();
        await File.WriteAllLinesAsync(Path.Combine(WorkDir, "orders.jsonl"),
        [
            """{"order_id":"big","customer_id":"c1","order_date":"2025-05-01T10:00:00Z","line_items":[{"product_name":"A","unit_price":1,"quantity":1},{"product_name":"B","unit_price":2,"quantity":2},{"product_name":"C","unit_price":3,"quantity":3}]}""",
            Order("small", "unit_price", "5"),
        ], Ct);
        WriteConfig("{ type: jsonl, path: orders.jsonl }", "{ max_line_items_per_request: 2 }");
        Assert.Equal(0, (await SyncAsync()).ExitCode);
        Assert.Equal("order big", Assert.Single(await ListAsync()).GetProperty("position").GetString());

        WriteConfig("{ type: jsonl, path: orders.jsonl }", "{ max_line_items_per_request: 1000 }");
        var replay = await RunAsync("dead-letters", "replay", "shop");

        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        Assert.Equal(
            Canonical([new("big", "A", 1, 1, "c1", Day), new("big", "B", 2, 2, "c1", Day), new("big", "C", 3, 3, "c1", Day), new("small", "Tea", 5, 1, "c1", Day)]),
            Landed());
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task A_replay_of_a_pipeline_a_sync_holds_exits_3_naming_the_holder()
    {
        await StartServerAsync();
        await WriteJsonlAsync(4, i => i == 0 ? "price" : "unit_price");
        WriteConfig("{ type: jsonl, path: orders.jsonl }");
        Assert.Equal(0, (await SyncAsync()).ExitCode);
        await using var state = await SqliteStateBackend.OpenAsync(new StateSettings { Path = Path.Combine(WorkDir, "state/state.db") }, TimeProvider.System, Ct);
        Assert.True((await state.Leases.AcquireAsync("shop", "other-host/4242", Ct)).Granted);
        var letterBytes = await File.ReadAllBytesAsync(LetterFile, Ct);

        var refused = await RunAsync("dead-letters", "replay", "shop");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("pipeline shop is being synced by other-host/4242 since ", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(letterBytes, await File.ReadAllBytesAsync(LetterFile, Ct));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => HostProcess.RunAsync(WorkDir, Env, args);

    private async Task<List<JsonElement>> ListAsync(params string[] extra)
    {
        var list = await RunAsync(["dead-letters", "list", "shop", "--json", .. extra]);
        Assert.True(list.ExitCode == 0, list.Stdout + list.Stderr);
        return [.. list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    /// <summary>Orders o0.. of one or two lines, each line's price under the name <paramref name="priceName"/> gives; returns the rows they should land as.</summary>
    private async Task<List<ExpectedRow>> WriteJsonlAsync(int orders, Func<int, string> priceName)
    {
        var lines = new List<string>();
        var rows = new List<ExpectedRow>();
        for (var i = 0; i < orders; i++)
        {
            var id = "o" + i.ToString(CultureInfo.InvariantCulture);
            var name = priceName(i);
            var price = (i % 7) + 0.5;
            lines.Add($$"""{"order_id":"{{id}}","customer_id":"c{{i % 5}}","order_date":"2025-05-01T10:00:00Z","line_items":[{"product_name":"Tea","{{name}}":{{price.ToString(CultureInfo.InvariantCulture)}},"quantity":2},{"product_name":"Mug","{{name}}":7,"quantity":1}]}""");
            rows.Add(new ExpectedRow(id, "Tea", price, 2, $"c{i % 5}", Day));
            rows.Add(new ExpectedRow(id, "Mug", 7, 1, $"c{i % 5}", Day));
        }

        await File.WriteAllLinesAsync(Path.Combine(WorkDir, "orders.jsonl"), lines, Ct);
        return rows;
    }

    private static string Order(string id, string priceName, string price) =>
        $$"""{"order_id":"{{id}}","customer_id":"c1","order_date":"2025-05-01T10:00:00Z","line_items":[{"product_name":"Tea","{{priceName}}":{{price}},"quantity":1}]}""";

    private static int Number(string orderId) => int.Parse(orderId[1..], CultureInfo.InvariantCulture);
}
