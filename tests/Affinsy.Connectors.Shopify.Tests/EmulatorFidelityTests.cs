using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Emulators.Shopify;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>The emulator answering the awkward parts of Shopify's documents, and the connector still landing every order exactly.</summary>
public sealed class EmulatorFidelityTests
{
    /// <summary>
    /// shopify.dev "Perform bulk operations with the GraphQL Admin API" (https://shopify.dev/docs/api/usage/bulk-operations/queries):
    /// from 2026-01 an app may run up to five bulk query operations at a time per shop, and <c>currentBulkOperation</c>
    /// returns the app's most recent one. Here another query of the app (products) starts just after ours, so a client
    /// that read <c>currentBulkOperation</c> would, for Completed, download the products file (no orders: an empty or
    /// dead-lettered sync); for Running, wait on an operation that never ends; for Failed, fail a run whose own export
    /// succeeded. The connector follows its operation by id (<c>node(id:)</c>) and lands exactly the store.
    /// </summary>
    [Theory]
    [InlineData(ForeignBulk.Completed)]
    [InlineData(ForeignBulk.Running)]
    [InlineData(ForeignBulk.Failed)]
    public async Task A_bulk_sync_follows_its_own_operation_while_another_query_of_the_app_is_the_current_one(ForeignBulk foreign)
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 300, ForeignBulkAfterOurs = foreign });

        var result = await h.SyncAsync(ShopifyReadMode.Bulk);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Empty(await h.DeadLettersAsync());
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        var current = await CurrentBulkOperationAsync(h);
        Assert.Equal("gid://shopify/BulkOperation/2", current.GetProperty("id").GetString());
        Assert.Equal(foreign switch { ForeignBulk.Completed => "COMPLETED", ForeignBulk.Running => "RUNNING", _ => "FAILED" },
            current.GetProperty("status").GetString());
    }

    /// <summary>
    /// shopify.dev "Perform bulk operations with the GraphQL Admin API": ungrouped (the default from 2026-01, changelog
    /// 2025-10-29), a child object may be anywhere in the file, before or after its parent. The emulator's file splits
    /// one order's line items around it (some before, some after) and puts some several orders away; the connector
    /// still sends every order whole.
    /// </summary>
    [Fact]
    public async Task An_ungrouped_result_with_line_items_split_around_and_far_from_their_order_lands_every_order_whole()
    {
        await using var h = await ShopifyHarness.StartAsync();

        var result = await h.SyncAsync(h.Options() with { GroupObjects = false });

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        var layout = await BulkLayoutAsync(h, 1);
        Assert.Contains(layout, o => o.Value.Min() < 0 && o.Value.Max() > 0); // lines both before and after their order
        Assert.Contains(layout, o => o.Value.Min() <= -3); // a line several orders before its order
        Assert.Contains(layout, o => o.Value.Max() >= 3); // and one several orders after it
    }

    /// <summary>
    /// Downloads bulk operation <paramref name="number"/>'s result as a client would and, for each order, where its line
    /// items are: its distance in orders (negative: the line comes first).
    /// </summary>
    internal static async Task<Dictionary<string, List<int>>> BulkLayoutAsync(ShopifyHarness h, int number)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(h.Emulator.BaseUrl, $"bulk-results/{number}.jsonl"), TestContext.Current.CancellationToken);
        var orderAt = new Dictionary<string, int>();
        var children = new List<(string Parent, int OrdersBefore)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("__parentId", out var parent))
            {
                children.Add((parent.GetString()!, orderAt.Count));
            }
            else
            {
                orderAt[json.RootElement.GetProperty("id").GetString()!] = orderAt.Count;
            }
        }

        var layout = new Dictionary<string, List<int>>();
        foreach (var (parent, ordersBefore) in children)
        {
            var position = orderAt[parent];
            // -1: right before its order, 1: right after it; -3 and 3: two other orders in between.
            var offset = ordersBefore <= position ? ordersBefore - position - 1 : ordersBefore - position;
            (layout.TryGetValue(parent, out var list) ? list : layout[parent] = []).Add(offset);
        }

        return layout;
    }

    /// <summary>
    /// shopify.dev "REST Admin API rate limits", "Retry-After header": a 429 carries <c>Retry-After</c>, the seconds until
    /// a request is allowed, shown as <c>Retry-After: 2.0</c> beside <c>X-Shopify-Shop-Api-Call-Limit: 40/40</c>. The
    /// emulator's 429 has both in that form. The client's first call, on the same frozen virtual clock, is answered 429 too;
    /// it waits exactly the Retry-After (the full bucket the 429 reports adds no wait of its own) and reads the page.
    /// </summary>
    [Theory]
    [InlineData(40, "0.5")] // Shopify's standard bucket: 40 calls leaking 2 a second, one free after half a second
    [InlineData(2, "10.0")] // 2 calls leaking 0.1 a second
    public async Task A_REST_429_carries_the_documented_headers_and_the_client_waits_exactly_its_Retry_After(int bucket, string expected)
    {
        var clock = new VirtualClock(ShopifyHarness.Now);
        await using var emulator = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 3, CallBucket = bucket }, clock, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var url = new Uri(emulator.BaseUrl, $"admin/api/{ApiVersionCalendar.Default}/orders.json?status=any&limit=50");
        HttpResponseMessage throttled;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("X-Shopify-Access-Token", emulator.Options.AccessToken);
            throttled = await http.SendAsync(request, TestContext.Current.CancellationToken);
            if ((int)throttled.StatusCode == 429)
            {
                break;
            }

            throttled.Dispose();
        }

        using (throttled)
        {
            Assert.Equal(expected, Assert.Single(throttled.Headers.GetValues("Retry-After")));
            Assert.Equal($"{bucket}/{bucket}", Assert.Single(throttled.Headers.GetValues("X-Shopify-Shop-Api-Call-Limit")));
        }

        var logs = new List<string>();
        var client = new ShopifyClient(http, emulator.BaseUrl, "emulated.myshopify.com", ApiVersionCalendar.Default, emulator.Options.AccessToken, clock, new ListLogger(logs));

        var (page, _) = await client.RestOrdersAsync(new Uri(client.AdminBase, "orders.json?status=any&limit=50"), TestContext.Current.CancellationToken);

        Assert.Equal(3, page.Orders!.Count);
        Assert.Equal(TimeSpan.FromSeconds(double.Parse(expected, CultureInfo.InvariantCulture)), clock.Elapsed);
    }

    /// <summary>
    /// shopify.dev REST Admin "Order" resource, "Retrieves a list of orders": no <c>order</c> parameter and no sort are
    /// documented, so the emulator ignores <c>order</c> and lists newest id first; only <c>since_id</c> sorts (by id,
    /// changelog 2017-09-18). A run killed after three pages (what it read counts as landed, and the checkpoint its
    /// acknowledged batches made safe is saved), then a second run: together they read every order, and the second asks
    /// only for the page the first did not read. A client that checkpointed each page's highest updated_at over unsorted
    /// pages would restart near the newest updated_at and skip the older orders of the pages it never read; this one
    /// pages by since_id and checkpoints the last id handed over, moving the watermark only with the last page.
    /// </summary>
    [Fact]
    public async Task A_REST_backfill_killed_after_a_few_unsorted_pages_skips_nothing_on_the_next_run()
    {
        await using var h = await ShopifyHarness.StartAsync();
        var options = h.Options(ShopifyReadMode.Rest) with { PageSize = 25 };

        var read = await ReadKilledAfterAsync(h, options, pages: 3);
        var requests = h.Emulator.RestRequests;
        var resumed = await h.SyncAsync(options);

        Assert.True(resumed.Outcome == SyncOutcome.Completed, resumed.Error);
        // Pages of 25: the next run resumes after the killed run's last order id (since_id) and asks only for the rest.
        Assert.Equal(((h.Emulator.Orders.Count + 24) / 25) - 3, h.Emulator.RestRequests - requests);
        read.UnionWith(h.Landed().Select(l => l.OrderId));
        Assert.Equal(ExpectedIds(h), read.Order(StringComparer.Ordinal));
        Assert.Equal(h.Emulator.Orders.Max(o => o.UpdatedAt), (await h.CheckpointAsync()).UpdatedAt);
    }

    /// <summary>
    /// The same for an incremental REST run: six orders updated an hour apart, the lowest id first. Killed after one page
    /// of two, the next run resumes after its last id and catches the other four.
    /// </summary>
    [Fact]
    public async Task A_REST_incremental_run_killed_after_one_unsorted_page_skips_nothing_on_the_next_run()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 100 });
        var options = h.Options(ShopifyReadMode.Rest) with { PageSize = 2 };
        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync(options)).Outcome);
        h.Clock.Advance(TimeSpan.FromHours(10));
        var changed = h.Emulator.Orders.Where(o => o.CancelledAt is null && !o.Test && o.Lines.Any(l => l.CurrentQuantity > 0)).Take(6).OrderBy(o => o.Id).ToList();
        for (var i = 0; i < changed.Count; i++)
        {
            h.Emulator.Update(changed[i].Id, o => o with { Lines = [.. o.Lines.Select(l => l with { CurrentQuantity = l.CurrentQuantity + 2 })] },
                ShopifyHarness.Now.AddHours(2 + i));
        }

        var read = await ReadKilledAfterAsync(h, options, pages: 1);
        var resumed = await h.SyncAsync(options);

        Assert.Equal(2, read.Count);
        Assert.True(resumed.Outcome == SyncOutcome.Completed, resumed.Error);
        // The killed run's two orders count as landed (this test does not send them; the pipeline would have): the next
        // run resumes after the last of them, and every other order lands as it is now.
        bool Unread(string row) => !read.Contains(row[..row.IndexOf('|', StringComparison.Ordinal)]);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders).Where(Unread), ExpectedRows.Of(h.Landed()).Where(Unread));
        Assert.Equal(ShopifyHarness.Now.AddHours(7), (await h.CheckpointAsync()).UpdatedAt);
    }

    /// <summary>
    /// A run killed after <paramref name="pages"/> pages: reads them straight from the source, saves the last checkpoint
    /// they carried (what the pipeline saves once they are acknowledged) and returns the order ids they held.
    /// </summary>
    private static async Task<HashSet<string>> ReadKilledAfterAsync(ShopifyHarness h, ShopifySourceOptions options, int pages)
    {
        var token = TestContext.Current.CancellationToken;
        var source = new ShopifyOrderSource(options, SourceContext.ForTesting("shop") with { TimeProvider = h.Clock });
        var read = new HashSet<string>(StringComparer.Ordinal);
        Checkpoint? safe = null;
        await foreach (var batch in source.ReadAsync(await h.Checkpoints.GetAsync("shop", token), token))
        {
            read.UnionWith(batch.Drafts.Select(d => d.OrderId!));
            safe = batch.Checkpoint ?? safe;
            if (--pages == 0)
            {
                break;
            }
        }

        if (safe is not null)
        {
            await h.Checkpoints.SaveAsync("shop", safe, token);
        }

        return read;
    }

    private static List<string> ExpectedIds(ShopifyHarness h) =>
        [.. ExpectedRows.For(h.Emulator.Orders).Select(r => r[..r.IndexOf('|', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Asks the emulated shop <c>currentBulkOperation</c> as any other client would.</summary>
    internal static async Task<JsonElement> CurrentBulkOperationAsync(ShopifyHarness h)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(h.Emulator.BaseUrl, "admin/api/2026-10/graphql.json"))
        {
            Content = JsonContent.Create(new { query = "{ currentBulkOperation { id status url } }" }),
        };
        request.Headers.Add("X-Shopify-Access-Token", h.Emulator.Options.AccessToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("data").GetProperty("currentBulkOperation").Clone();
    }
}
