using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// The order ledger through the real executable and a reference server: a re-exported file sends only the orders
/// that changed, and the ledger is never trusted over what the dataset really holds.
/// </summary>
public sealed partial class OrderLedgerTests : SyncFixture
{
    [Fact]
    public async Task A_renamed_re_export_with_one_percent_changed_sends_only_the_changed_orders()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(File("export-1.csv"), 2000, seed: 21);
        WriteConfig("{ type: csv, path: export-1.csv }");
        var first = await SyncAsync();
        var requestsAfterFirst = Server.Gate.IngestsAdmitted.Value;

        // A new file name: its checkpoint does not apply, so the file source reads every order again.
        var expected = CopyChangingEveryHundredthOrder(File("export-1.csv"), File("export-2.csv"), store.Rows);
        WriteConfig("{ type: csv, path: export-2.csv }");
        var second = await SyncAsync();

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Equal(Canonical(expected), Landed());
        Assert.Matches(@"unchanged \(already in the dataset, not sent\)\s*[│|]\s*1,980", second.Stdout);
        Assert.Matches(@"orders sent\s*[│|]\s*20\s", second.Stdout);

        // 20 orders of at most 5 lines fit one request of 1,000 line items.
        Assert.Equal(1, Server.Gate.IngestsAdmitted.Value - requestsAfterFirst);
    }

    [Fact]
    public async Task A_dataset_deleted_behind_the_pipelines_back_is_sent_again_in_full()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(File("orders.csv"), 500, seed: 22);
        WriteConfig("{ type: csv, path: orders.csv }");
        await SyncAsync();

        using (var http = new HttpClient { BaseAddress = Server.ApiBase })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            var deleted = await http.DeleteAsync("datasets/shop", TestContext.Current.CancellationToken);
            Assert.True(deleted.IsSuccessStatusCode, deleted.ToString());
        }

        Assert.Empty(Landed());

        // The file's checkpoint says "all read" and the ledger says "all delivered": both must be dropped.
        var again = await SyncAsync();

        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(Canonical(store.Rows), Landed());
        Assert.Contains("no longer exists", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ledger_false_a_re_export_is_sent_in_full()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(File("export-1.csv"), 1000, seed: 23);
        WriteConfig("{ type: csv, path: export-1.csv }\n    ledger: false");
        await SyncAsync();
        var requestsAfterFirst = Server.Gate.IngestsAdmitted.Value;

        System.IO.File.Copy(File("export-1.csv"), File("export-2.csv"));
        WriteConfig("{ type: csv, path: export-2.csv }\n    ledger: false");
        var second = await SyncAsync();

        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Equal(2 * requestsAfterFirst, Server.Gate.IngestsAdmitted.Value);
        Assert.DoesNotContain("unchanged", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_refresh_ignores_the_ledger_and_sends_everything()
    {
        await StartServerAsync();
        var store = new StoreFile();
        store.AppendCsv(File("orders.csv"), 1000, seed: 24);
        WriteConfig("{ type: csv, path: orders.csv }");
        await SyncAsync();
        var requestsAfterFirst = Server.Gate.IngestsAdmitted.Value;

        var refresh = await SyncAsync("--full-refresh");

        Assert.True(refresh.ExitCode == 0, refresh.Stdout + refresh.Stderr);
        Assert.Equal(2 * requestsAfterFirst, Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(Canonical(store.Rows), Landed());
    }

    [Fact]
    public async Task Orders_affinsy_refused_are_not_in_the_ledger_so_a_re_export_offers_them_again()
    {
        await StartServerAsync();
        var lines = Enumerable.Range(0, 40).Select(i =>
        {
            var customer = i % 10 == 3 ? new string('x', 300) : $"c{i}"; // the API caps customer_id at 256
            return $$"""{"order_id":"o{{i}}","customer_id":"{{customer}}","order_date":"2025-05-01T10:00:00Z","line_items":[{"product_name":"Tea","unit_price":2.5,"quantity":1}]}""";
        }).ToList();
        await System.IO.File.WriteAllLinesAsync(File("a.jsonl"), lines, TestContext.Current.CancellationToken);
        WriteConfig("{ type: jsonl, path: a.jsonl }");
        await SyncAsync();

        System.IO.File.Copy(File("a.jsonl"), File("b.jsonl"));
        WriteConfig("{ type: jsonl, path: b.jsonl }");
        var again = await SyncAsync();

        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Matches(@"unchanged \(already in the dataset, not sent\)\s*[│|]\s*36\s", again.Stdout);
        Assert.Matches(@"refused by Affinsy\s*[│|]\s*4\s", again.Stdout);
        Assert.Equal(36, Landed().Count);
    }

    private string File(string name) => Path.Combine(WorkDir, name);

    /// <summary>
    /// Copies the CSV, adding one to every quantity of orders o0, o100, o200...; returns the rows Affinsy must then hold.
    /// </summary>
    private static List<ExpectedRow> CopyChangingEveryHundredthOrder(string from, string to, IReadOnlyList<ExpectedRow> rows)
    {
        static bool Changed(string orderId) => int.Parse(orderId.AsSpan(1), CultureInfo.InvariantCulture) % 100 == 0;
        var lines = System.IO.File.ReadAllLines(from).Select(line =>
        {
            var m = CsvRow().Match(line);
            return m.Success && Changed(m.Groups["id"].Value)
                ? $"{m.Groups["head"].Value}{int.Parse(m.Groups["qty"].Value, CultureInfo.InvariantCulture) + 1},{m.Groups["tail"].Value}"
                : line;
        });
        System.IO.File.WriteAllText(to, string.Join('\n', lines) + "\n");
        return [.. rows.Select(r => Changed(r.OrderId) ? r with { Quantity = r.Quantity + 1 } : r)];
    }

    // order_id,"product",price,quantity,customer,date as StoreFile writes it.
    [GeneratedRegex("""^(?<head>(?<id>o\d+),"[^"]*",[^,]*,)(?<qty>\d+),(?<tail>.*)$""")]
    private static partial Regex CsvRow();
}
