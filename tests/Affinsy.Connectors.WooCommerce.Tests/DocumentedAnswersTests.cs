using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.WooCommerce;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>The connector against what the REST docs and WooCommerce's controllers say a store answers.</summary>
public sealed class DocumentedAnswersTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_name_stored_with_HTML_entities_lands_as_one_product_whatever_the_form()
    {
        await using var harness = await WooSyncHarness.StartAsync(240, Token);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        var names = harness.Landed().Select(r => r.ProductName).ToHashSet(StringComparer.Ordinal);
        foreach (var (product, forms) in WooStoreSeed.EntityForms)
        {
            // The store really holds several forms of the name, and Affinsy receives one.
            var stored = harness.Store.Orders.SelectMany(o => o.Lines).Where(l => l.ProductId == product).Select(l => l.StoredName).Distinct().Count();
            Assert.True(stored >= 2, $"product {product} is stored in {stored} form(s): the seed no longer mixes them");
            Assert.Contains(forms[0], names);
            Assert.DoesNotContain(names, n => forms.Skip(1).Contains(n, StringComparer.Ordinal));
        }

        Assert.DoesNotContain(names, n => n.Contains('&', StringComparison.Ordinal) && n != "Tea & Biscuits");
    }

    [Fact]
    public async Task The_incremental_read_asks_in_GMT_so_a_site_behind_GMT_loses_nothing()
    {
        await using var harness = await WooSyncHarness.StartAsync(120, Token);
        harness.Store.SiteOffset = TimeSpan.FromHours(-5);
        await harness.SyncAsync(Token);
        var watermark = (await harness.CheckpointAsync(Token))!.ModifiedGmt.UtcDateTime;
        var changed = harness.Store.Orders.First(o => o.Status == "completed" && o.Refunds.Count == 0);
        harness.Store.Modify(changed.Id, watermark.AddHours(2), o => o.Lines[0].Quantity = 11);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(11, harness.Landed().Single(r => r.OrderId == Id(changed) && r.ProductName == changed.Lines[0].Name).Quantity);

        // The same question without dates_are_gmt=true is read in the site's time zone, five hours behind: the
        // order modified two hours after the watermark is not in the answer. A client omitting the flag fails here.
        var after = Uri.EscapeDataString(Gmt(watermark));
        var withFlag = await OrderIdsAsync(harness, $"per_page=100&orderby=modified&order=asc&dates_are_gmt=true&modified_after={after}");
        var withoutFlag = await OrderIdsAsync(harness, $"per_page=100&orderby=modified&order=asc&modified_after={after}");
        Assert.Contains(changed.Id, withFlag);
        Assert.DoesNotContain(changed.Id, withoutFlag);
    }

    [Fact]
    public async Task Start_date_reads_from_that_day_first_and_incrementally_after()
    {
        await using var harness = await WooSyncHarness.StartAsync(200, Token);
        var sold = harness.Store.Orders.Where(o => o.Status is "processing" or "completed" or "on-hold").OrderBy(o => o.ModifiedGmt).ToList();
        var start = sold[sold.Count / 2].ModifiedGmt.Date.AddDays(1);
        harness.Options = harness.Options with { StartDate = new DateTimeOffset(start, TimeSpan.Zero) };

        var first = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, first.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders.Where(o => o.ModifiedGmt >= start)), harness.Landed());
        Assert.Contains("modified_after=" + Uri.EscapeDataString(Gmt(start.AddSeconds(-1))), harness.Store.Requests[0].Query, StringComparison.Ordinal);

        // An order from before the start date modified now is read by the next, incremental, sync.
        var old = sold.First(o => o.ModifiedGmt < start && o.Refunds.Count == 0);
        var watermark = (await harness.CheckpointAsync(Token))!.ModifiedGmt.UtcDateTime;
        harness.Store.Modify(old.Id, watermark.AddMinutes(30), o => o.Lines[0].Quantity = 5);
        var second = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, second.Outcome);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders.Where(o => o.ModifiedGmt >= start)), harness.Landed());
        Assert.Contains(harness.Landed(), r => r.OrderId == Id(old));
    }

    [Fact]
    public async Task A_guest_order_lands_under_the_hash_of_its_billing_email()
    {
        await using var harness = await WooSyncHarness.StartAsync(5, Token);
        var at = harness.Store.Orders.Max(o => o.ModifiedGmt).AddMinutes(1);
        var guest = new EmulatedOrder { Id = 9_100, Number = "9100", Status = "processing", CustomerId = 0, Email = "John.Doe@Example.com", CreatedGmt = at, ModifiedGmt = at, PaidGmt = at };
        guest.Lines.Add(new EmulatedLine { Id = 91_001, Name = "Woo Single #1", ProductId = 93, Quantity = 2, Subtotal = 6m, Total = 6m });
        harness.Store.Add(guest);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var row = harness.Landed().Single(r => r.OrderId == "9100");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("john.doe@example.com"))), row.CustomerId);
        Assert.Equal((3.0, 2.0), (row.UnitPrice, row.Quantity));
    }

    [Fact]
    public async Task Orders_the_store_got_wrong_are_dead_lettered_with_their_reason_and_the_rest_lands()
    {
        await using var harness = await WooSyncHarness.StartAsync(60, Token);
        var at = harness.Store.Orders.Min(o => o.ModifiedGmt).AddSeconds(30);
        Broken(harness, 9_201, at, """[]""");
        Broken(harness, 9_202, at, """[{"id":1,"name":null,"product_id":5,"variation_id":0,"quantity":1,"subtotal":"3.00","total":"3.00","sku":"","price":3}]""");
        Broken(harness, 9_203, at, """[{"id":2,"name":"Tea","product_id":5,"variation_id":0,"quantity":-2,"subtotal":"-6.00","total":"-6.00","sku":"","price":3}]""");
        Broken(harness, 9_204, at, """[{"id":3,"name":"Tea","product_id":5,"variation_id":0,"quantity":1,"subtotal":"3,00","total":"3,00","sku":"","price":3}]""");
        Broken(harness, 9_205, at, """[{"id":4,"name":"Tea","product_id":5,"variation_id":0,"quantity":"two","subtotal":"6.00","total":"6.00","sku":"","price":3}]""");

        var result = await harness.SyncAsync(Token);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        var letters = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var letter in harness.DeadLetters.ReadAsync(WooSyncHarness.Pipeline, Token))
        {
            letters.Add(letter.OrderId!, letter.Reason);
        }

        Assert.Equal(["9201", "9202", "9203", "9204", "9205"], letters.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("no line items", letters["9201"], StringComparison.Ordinal);
        Assert.Contains("line_items[0] (id 1, product 5) has no name", letters["9202"], StringComparison.Ordinal);
        Assert.Contains("negative quantity -2", letters["9203"], StringComparison.Ordinal);
        Assert.Contains("has a total '3,00' that is not a decimal amount", letters["9204"], StringComparison.Ordinal);
        Assert.Contains("cannot be read", letters["9205"], StringComparison.Ordinal);
        Assert.Contains("$.line_items[0].quantity", letters["9205"], StringComparison.Ordinal);
    }

    private static void Broken(WooSyncHarness harness, long id, DateTime at, string lineItems)
    {
        var gmt = Gmt(at);
        harness.Store.Add(new EmulatedOrder
        {
            Id = id, Number = id.ToString(CultureInfo.InvariantCulture), Status = "processing", CreatedGmt = at, ModifiedGmt = at,
            RawJson = $$"""{"id":{{id}},"number":"{{id}}","status":"processing","currency":"USD","customer_id":0,"date_created_gmt":"{{gmt}}","date_modified_gmt":"{{gmt}}","date_paid_gmt":"{{gmt}}","billing":{"email":""},"line_items":{{lineItems}},"refunds":[]}""",
        });
    }

    private static async Task<List<long>> OrderIdsAsync(WooSyncHarness harness, string query)
    {
        var signer = new OAuthSigner(WooCommerceEmulator.ConsumerKey, WooCommerceEmulator.ConsumerSecret, OAuthSignatureMethod.HmacSha256, TimeProvider.System);
        using var http = new HttpClient();
        using var response = await http.GetAsync(signer.Sign(new Uri(harness.Store.SiteUrl, "wp-json/wc/v3/orders?" + query)), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. body.RootElement.EnumerateArray().Select(o => o.GetProperty("id").GetInt64())];
    }

    private static string Gmt(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Id(EmulatedOrder order) => order.Id.ToString(CultureInfo.InvariantCulture);
}
