using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// The HTML pages in a real browser (headless Chromium): a sync of the sample store writes an MBA and an RFM page
/// and the index; each loads from file:// with no console error and no request besides itself, shows exactly the
/// report's rules and segments, sorts, filters, and draws one chart mark per plotted item. The expected numbers
/// come from the report JSON saved beside each page, counted here independently of the page code.
/// </summary>
public sealed class ReportPageTests : SyncFixture
{
    private string Reports => Path.Combine(WorkDir, "out", "reports");

    private async Task SyncSampleStoreAsync()
    {
        await StartServerAsync();
        Directory.CreateDirectory(Path.Combine(WorkDir, "samples"));
        File.Copy(Path.Combine(RepositoryRoot(), "samples", "sample-store.csv.gz"), Path.Combine(WorkDir, "samples", "sample-store.csv.gz"));
        WriteConfig("{ type: csv, path: samples/sample-store.csv.gz, preset: retail }\n    reports: [ { template: standard_mba }, { template: standard_rfm } ]", ingest: "{ max_line_items_per_request: 10000 }");
        var (code, stdout, stderr) = await SyncAsync();
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Report pages: " + Path.Combine(Reports, "index.html"), stdout.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_MBA_page_shows_every_rule_sorts_filters_and_plots_one_mark_per_rule_without_a_request()
    {
        await using var browser = await Browser.StartAsync();
        await SyncSampleStoreAsync();
        var file = Path.Combine(Reports, "shop", "standard_mba", "latest.html");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(file, ".json")));
        var rules = json.RootElement.GetProperty("results").GetProperty("rules").EnumerateArray()
            .Select(r => (A: Join(r.GetProperty("antecedent")), C: Join(r.GetProperty("consequent")), Count: r.GetProperty("count").GetInt64(), Single: r.GetProperty("antecedent").GetArrayLength() == 1 && r.GetProperty("consequent").GetArrayLength() == 1))
            .ToList();
        Assert.True(rules.Count > 40, $"the sample store should give more rules than the chart plots, got {rules.Count}");

        var page = await browser.OpenAsync(new Uri(file).AbsoluteUri);
        await page.ScreenshotAsync("mba");
        Assert.Empty(page.Errors);
        Assert.Equal([new Uri(file).AbsoluteUri], page.Requests);

        // Exactly the report's rules, in its order.
        Assert.Equal(rules.Select(r => r.A), await page.TextsAsync("#rules tbody tr td:nth-child(2)"));
        Assert.Equal(rules.Select(r => r.C), await page.TextsAsync("#rules tbody tr td:nth-child(3)"));

        // One circle per plotted rule (the 40 strongest), one line per plotted pair; the captions say how many.
        Assert.Equal(40, await page.CountAsync("#rule-chart svg .rule-mark"));
        Assert.StartsWith($"40 of {rules.Count} rules plotted", (await page.TextsAsync("#rule-chart figcaption"))[0], StringComparison.Ordinal);
        var pairs = Math.Min(24, rules.Where(r => r.Single).Select(r => string.CompareOrdinal(r.A, r.C) < 0 ? (r.A, r.C) : (r.C, r.A)).Distinct().Count());
        Assert.Equal(pairs, await page.CountAsync("#pair-chart svg .pair-mark"));
        Assert.StartsWith($"{pairs} product pairs plotted", (await page.TextsAsync("#pair-chart figcaption"))[0], StringComparison.Ordinal);

        // Sorting by count: descending on the first click, ascending on the second.
        await page.Page.ClickAsync("#rules th:nth-child(7)");
        var counts = await CountsAsync(page);
        Assert.Equal(rules.Select(r => r.Count).OrderDescending(), counts);
        await page.Page.ClickAsync("#rules th:nth-child(7)");
        Assert.Equal(rules.Select(r => r.Count).Order(), await CountsAsync(page));

        // Filtering by a product keeps the rules that name it, and says how many.
        var product = rules[0].A;
        await page.Page.TypeAsync("#rules-filter", product);
        var expected = rules.Count(r => (r.A + " " + r.C).Contains(product, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(expected, await page.CountAsync("#rules tbody tr:not([hidden])"));
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), (await page.TextsAsync("#rules-shown"))[0]);
        Assert.Empty(page.Errors);

        var phone = await browser.OpenAsync(new Uri(file).AbsoluteUri, 390, 844);
        await phone.ScreenshotAsync("mba-phone");
        Assert.True(await phone.Page.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth <= 390"), "the page scrolls sideways on a phone");
    }

    [Fact]
    public async Task The_RFM_page_and_the_index_show_every_segment_and_report_without_a_request()
    {
        await using var browser = await Browser.StartAsync();
        await SyncSampleStoreAsync();
        var file = Path.Combine(Reports, "shop", "standard_rfm", "latest.html");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(file, ".json")));
        var segments = json.RootElement.GetProperty("results").GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("segment").GetString()!).ToList();

        var page = await browser.OpenAsync(new Uri(file).AbsoluteUri);
        await page.ScreenshotAsync("rfm");
        Assert.Empty(page.Errors);
        Assert.Equal([new Uri(file).AbsoluteUri], page.Requests);
        Assert.Equal(segments, await page.TextsAsync("#segments tbody tr td:first-child"));
        Assert.Equal(segments.Count, await page.CountAsync("#segment-chart svg .segment-mark"));
        Assert.Equal(segments.Order(StringComparer.Ordinal), (await page.Page.EvaluateExpressionAsync<string[]>(
            "Array.from(document.querySelectorAll('#segment-chart .segment-mark')).map(e => e.dataset.segment)")).Order(StringComparer.Ordinal));
        Assert.StartsWith($"{segments.Count} segments plotted", (await page.TextsAsync("#segment-chart figcaption"))[0], StringComparison.Ordinal);

        var index = Path.Combine(Reports, "index.html");
        var indexPage = await browser.OpenAsync(new Uri(index).AbsoluteUri);
        await indexPage.ScreenshotAsync("index");
        Assert.Empty(indexPage.Errors);
        Assert.Equal(["standard_mba", "standard_rfm"], await indexPage.TextsAsync("#pipeline-shop a.report-link"));

        var (code, stdout, _) = await HostProcess.RunAsync(WorkDir, Env, "report", "open", "shop", "--no-browser");
        Assert.Equal(0, code);
        Assert.Equal([Path.Combine(Reports, "shop", "standard_mba", "latest.html"), file], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var reportId = json.RootElement.GetProperty("report_id").GetString()!;
        (code, stdout, _) = await HostProcess.RunAsync(WorkDir, Env, "report", "open", reportId, "--no-browser");
        Assert.Equal(0, code);
        Assert.EndsWith($"-{reportId}.html", stdout.Trim(), StringComparison.Ordinal);
    }

    private static async Task<IEnumerable<long>> CountsAsync(WatchedPage page) =>
        (await page.TextsAsync("#rules tbody tr td:nth-child(7)")).Select(t => long.Parse(t, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));

    private static string Join(JsonElement names) => string.Join(" + ", names.EnumerateArray().Select(n => n.GetString()));

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Affinsy.Connect.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Affinsy.Connect.sln not found above " + AppContext.BaseDirectory);
    }
}
