using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>report create|get|list|export</c> through the real executable against a reference server: the same tables as
/// <c>sync</c>, the API's document with <c>--json</c>, and an export holding every rule, counted from that document.
/// </summary>
public sealed class ReportCommandTests : SyncFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SyncBasketsAsync()
    {
        await StartServerAsync();
        // 40 baskets of tea, cake and a cup ("with, a comma"), 10 of tea alone: rules among the three, none with "Jam".
        var lines = Enumerable.Range(0, 51).Select(i =>
        {
            var items = i == 50 ? """{"product_name":"Jam","unit_price":3,"quantity":1}"""
                : i < 40 ? """{"product_name":"Tea","unit_price":2,"quantity":1},{"product_name":"Cake","unit_price":4,"quantity":1},{"product_name":"Cup \"with, a comma\"","unit_price":6,"quantity":1}"""
                : """{"product_name":"Tea","unit_price":2,"quantity":1}""";
            return $$"""{"order_id":"o{{i}}","customer_id":"c{{i % 7}}","order_date":"2025-05-{{1 + (i % 28):00}}T10:00:00Z","line_items":[{{items}}]}""";
        });
        await File.WriteAllLinesAsync(Path.Combine(WorkDir, "orders.jsonl"), lines, Ct);
        WriteConfig("{ type: jsonl, path: orders.jsonl }");
        var sync = await SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Report(params string[] args) =>
        HostProcess.RunAsync(WorkDir, Env, ["report", .. args]);

    /// <summary>The orders <see cref="SyncBasketsAsync"/> dates between the two days, both included (order i is dated May 1 + i mod 28).</summary>
    private static int OrdersDated(int firstDay, int lastDay) => Enumerable.Range(0, 51).Count(i => 1 + (i % 28) is var day && day >= firstDay && day <= lastDay);

    [Fact]
    public async Task From_and_to_filter_the_report_to_the_orders_of_those_days()
    {
        await SyncBasketsAsync();

        var created = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", "min_support=0.1", "--from", "2025-05-01", "--to", "2025-05-07", "--wait", "--json");

        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        using var document = JsonDocument.Parse(created.Stdout);
        var range = document.RootElement.GetProperty("filters").GetProperty("dateRange");
        Assert.Equal(("2025-05-01", "2025-05-07"), (range.GetProperty("start").GetString(), range.GetProperty("end").GetString()));
        Assert.Equal(OrdersDated(1, 7), document.RootElement.GetProperty("results").GetProperty("baskets").GetInt32());

        var backwards = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--from", "2025-05-07", "--to", "2025-05-01");
        Assert.NotEqual(0, backwards.ExitCode);
        Assert.Contains("--from 2025-05-07 is after --to 2025-05-01", backwards.Stderr, StringComparison.Ordinal);
        var notADate = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--from", "May 1");
        Assert.Contains("--from 'May 1' is not a date: write it as YYYY-MM-DD", notADate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_waited_for_on_the_command_line_is_saved_with_its_page_beside_its_pipelines_reports()
    {
        await SyncBasketsAsync();
        var folder = Path.Combine(WorkDir, "out", "reports", "shop", "standard_mba");
        var before = Directory.Exists(folder) ? Directory.GetFiles(folder, "*-*.json").Length : 0;

        var created = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", "min_support=0.1", "--wait");

        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        var page = Line(created.Stdout, "Page: ");
        Assert.Equal(folder, Path.GetDirectoryName(page));
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(page, ".json"), Ct));
        var id = saved.RootElement.GetProperty("report_id").GetString()!;
        Assert.Contains(id, created.Stdout, StringComparison.Ordinal);
        Assert.Contains(id, await File.ReadAllTextAsync(page, Ct), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(page, Ct), await File.ReadAllTextAsync(Path.Combine(folder, "latest.html"), Ct));
        Assert.Contains("shop/standard_mba/latest.html", await File.ReadAllTextAsync(Path.Combine(WorkDir, "out", "reports", "index.html"), Ct), StringComparison.Ordinal);
        Assert.Equal(before + 1, Directory.GetFiles(folder, "*-*.json").Length);

        var unsaved = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", "min_support=0.1", "--wait", "--no-save");
        Assert.DoesNotContain("Saved: ", unsaved.Stdout, StringComparison.Ordinal);
        Assert.Equal(before + 1, Directory.GetFiles(folder, "*-*.json").Length);

        // --json keeps stdout the API's document; where it was saved goes to stderr.
        var got = await Report("get", id, "--save", "--json");
        Assert.True(got.ExitCode == 0, got.Stdout + got.Stderr);
        using var document = JsonDocument.Parse(got.Stdout);
        Assert.Equal(id, document.RootElement.GetProperty("report_id").GetString());
        Assert.True(File.Exists(Line(got.Stderr, "Page: ")));
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    [Fact]
    public async Task A_pipelines_last_days_filter_counts_back_from_the_datasets_newest_order_not_from_today()
    {
        await SyncBasketsAsync();
        WritePipelines("""
              - name: shop
                dataset_id: shop
                source: { type: jsonl, path: orders.jsonl }
                reports_when: always
                reports: [ { template: standard_mba, params: { min_support: 0.1 }, filters: { date_range: { last: 7d } } } ]
            """);

        var sync = await SyncAsync();

        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr);
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(WorkDir, "out", "reports", "shop", "standard_mba", "latest.json"), Ct));
        var range = saved.RootElement.GetProperty("filters").GetProperty("dateRange");
        // The newest order is dated 2025-05-28: its last 7 days are May 22 to 28, whatever today is.
        Assert.Equal(("2025-05-22", "2025-05-28"), (range.GetProperty("start").GetString(), range.GetProperty("end").GetString()));
        Assert.Equal(OrdersDated(22, 28), saved.RootElement.GetProperty("results").GetProperty("baskets").GetInt32());
    }

    [Fact]
    public async Task Create_get_list_and_export_show_the_same_report_as_tables_json_and_every_rule()
    {
        await SyncBasketsAsync();

        var created = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", "min_support=0.1", "--wait");
        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        Assert.Contains("then also", created.Stdout, StringComparison.Ordinal);
        var id = created.Stdout.Split(':')[0].Trim();

        var raw = await Report("get", id, "--json");
        using var document = JsonDocument.Parse(raw.Stdout);
        var rules = document.RootElement.GetProperty("results").GetProperty("rules");
        var total = document.RootElement.GetProperty("results").GetProperty("rules_total").GetInt32();
        Assert.True(total >= 6, raw.Stdout); // every ordered pair and triple-derived rule of three products

        var tables = await Report("get", id);
        Assert.Equal(0, tables.ExitCode);
        Assert.Contains($"{total:N0} rules; the strongest:", tables.Stdout, StringComparison.Ordinal);
        Assert.Contains("then also", tables.Stdout, StringComparison.Ordinal);

        var list = await Report("list", "--status", "completed");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("template", list.Stdout, StringComparison.Ordinal);
        Assert.Contains(id, list.Stdout, StringComparison.Ordinal);

        var csv = await Report("export", id, "--format", "csv");
        Assert.Equal(0, csv.ExitCode);
        var rows = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); // the child's output is read line by line
        Assert.Equal(total + 1, rows.Length);
        Assert.StartsWith("antecedent,consequent,", rows[0], StringComparison.Ordinal);
        Assert.Contains("\"Cup \"\"with, a comma\"\"\"", csv.Stdout, StringComparison.Ordinal);

        var output = Path.Combine(WorkDir, "rules.json");
        var json = await Report("export", id, "--format", "json", "--output", output);
        Assert.Equal(0, json.ExitCode);
        using var exported = JsonDocument.Parse(await File.ReadAllTextAsync(output, Ct));
        Assert.Equal(rules.GetRawText(), exported.RootElement.GetRawText());
        Assert.Contains($"{total} rows written", json.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mba_report_without_rules_says_so_and_suggests_a_min_support_that_gives_rules_and_a_bad_status_is_a_usage_error()
    {
        await SyncBasketsAsync();

        var none = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", "min_support=0.99", "--wait");
        var badStatus = await Report("list", "--status", "done");

        Assert.True(none.ExitCode == 0, none.Stdout + none.Stderr);
        Assert.Contains("no rule at min_support 0.99", none.Stdout.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        var said = none.Stdout.Replace("\n", " ", StringComparison.Ordinal);
        Assert.Contains("The insights below name a min_support the data supports", said, StringComparison.Ordinal);
        var suggested = said.Split("so min_support=")[1].Split(' ')[0];

        // The suggestion is one the data bears out: the same report at that min_support has rules.
        var some = await Report("create", "--dataset", "shop", "--template", "standard_mba", "--param", $"min_support={suggested}", "--wait");
        Assert.True(some.ExitCode == 0, some.Stdout + some.Stderr);
        Assert.Contains("rules; the strongest", some.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, badStatus.ExitCode);
        Assert.Contains("Processing, Completed or Failed", badStatus.Stderr, StringComparison.Ordinal);
    }
}
