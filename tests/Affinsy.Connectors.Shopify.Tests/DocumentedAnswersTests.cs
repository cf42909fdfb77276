using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>The connector against the emulator answering as Shopify's documents say it does on 2026-12-02.</summary>
public sealed class DocumentedAnswersTests
{
    [Fact]
    public async Task A_retired_version_is_served_as_the_oldest_supported_one_and_the_sync_says_so_once()
    {
        await using var h = await ShopifyHarness.StartAsync();

        var result = await h.SyncAsync(h.Options() with { ApiVersion = "2025-07" });

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.All(h.Emulator.ServedVersions, v => Assert.Equal("2026-01", v));
        Assert.Single(h.Warnings, w => w.Contains("asked for API version 2025-07 but Shopify served 2026-01", StringComparison.Ordinal));
        Assert.Single(h.Warnings, w => w.Contains("2025-07 was retired on 2026-07-01", StringComparison.Ordinal));
        // Served 2026-01, the result is ungrouped whatever the connector asked: it still lands exactly.
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task The_default_version_is_served_as_asked_and_nothing_is_logged_about_it()
    {
        await using var h = await ShopifyHarness.StartAsync();

        await h.SyncAsync();

        Assert.All(h.Emulator.ServedVersions, v => Assert.Equal("2026-10", v));
        Assert.DoesNotContain(h.Warnings, w => w.Contains("version", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("graphql")]
    [InlineData("rest")]
    public async Task The_documented_order_level_discount_is_sent_as_the_price_paid_in_every_mode(string modeName)
    {
        var mode = Enum.Parse<ShopifyReadMode>(modeName, ignoreCase: true);
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 5 });
        // Modelled on the REST "Order" resource example (shopify.dev/docs/api/admin-rest, Order): a 199.00 item whose
        // share of an order-level discount is 17.91; the buyer paid 181.09. A guest: customer null, no email.
        h.Emulator.Put(new EmulatedOrder(450789469, "#1001", ShopifyHarness.Now.AddDays(-3), ShopifyHarness.Now.AddDays(-3), ShopifyHarness.Now.AddDays(-2),
            null, false, "USD", null, null, [new EmulatedLine(466157049, "IPod Nano - 8GB", "green", "IPOD2008GREEN", 1, 1, 199.00m, 199.00m, OrderDiscount: 17.91m)]));

        var result = await h.SyncAsync(mode);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var line = Assert.Single(h.Landed(), l => l.OrderId == "450789469");
        Assert.Equal(181.09, line.UnitPrice, 6);
        Assert.Null(line.CustomerId);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("graphql")]
    [InlineData("rest")]
    public async Task Bad_records_from_the_store_are_dead_lettered_with_their_reason_and_the_rest_lands(string modeName)
    {
        var mode = Enum.Parse<ShopifyReadMode>(modeName, ignoreCase: true);
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 50 });
        var at = ShopifyHarness.Now.AddDays(-1);
        EmulatedLine Line(long id, string? title, int quantity = 1, string? raw = null) => new(id, title, null, null, quantity, quantity, 5m, 5m, RawPrice: raw);
        h.Emulator.Put(new EmulatedOrder(9001, "#9001", at, at, at, null, false, "EUR", null, "a@example.com", []));
        h.Emulator.Put(new EmulatedOrder(9002, "#9002", at, at, at, null, false, "EUR", null, "a@example.com", [Line(1, null)]));
        h.Emulator.Put(new EmulatedOrder(9003, "#9003", at, at, at, null, false, "EUR", null, "a@example.com", [Line(2, "Mug", quantity: -1)]));
        h.Emulator.Put(new EmulatedOrder(9004, "#9004", at, at, at, null, false, "EUR", null, "a@example.com", [Line(3, "Mug", raw: "5,00")]));
        var good = h.Emulator.Orders.Where(o => o.Id < 9000);

        var result = await h.SyncAsync(mode);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(ExpectedRows.For(good), ExpectedRows.Of(h.Landed()));
        var letters = (await h.DeadLettersAsync()).ToDictionary(l => l.OrderId ?? "?", l => l.Reason);
        Assert.Contains("no line items", letters["9001"], StringComparison.Ordinal);
        Assert.Contains("name", letters["9002"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("negative quantity", letters["9003"], StringComparison.Ordinal);
        Assert.Contains("5,00", letters["9004"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FAILED", "INTERNAL_SERVER_ERROR", false, "ended FAILED")]
    [InlineData("FAILED", "TIMEOUT", false, "TIMEOUT")]
    [InlineData("FAILED", "ACCESS_DENIED", false, "read_all_orders")]
    [InlineData("CANCELED", null, false, "ended CANCELED")]
    [InlineData("EXPIRED", null, false, "ended EXPIRED")]
    [InlineData("COMPLETED", null, true, "only partial data")]
    public async Task An_unusable_bulk_operation_fails_truthfully_and_the_next_run_exports_afresh(string status, string? code, bool partialOnly, string says)
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.FailNextBulkOperation(code, status, partialOnly);

        var failed = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains(says, failed.Error, StringComparison.Ordinal);
        Assert.Contains("the next run starts a new export", failed.Error, StringComparison.Ordinal);
        Assert.Null((await h.CheckpointAsync()).BulkOperationId);
        Assert.Empty(h.Landed());

        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task An_expired_result_url_fails_truthfully_and_the_next_run_exports_afresh()
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.ExpireBulkResults();

        var failed = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("(403): its URL has expired", failed.Error, StringComparison.Ordinal);
        Assert.Null((await h.CheckpointAsync()).BulkOperationId);
        h.Emulator.ExpireBulkResults(false);

        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Fact]
    public async Task A_result_that_is_not_json_sends_nothing_and_the_next_run_exports_afresh()
    {
        await using var h = await ShopifyHarness.StartAsync();
        h.Emulator.CorruptNextBulkResult(line: 200);

        var failed = await h.SyncAsync();

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("line 200 is not valid JSON", failed.Error, StringComparison.Ordinal);
        Assert.Empty(h.Landed());
        Assert.Null((await h.CheckpointAsync()).BulkOperationId);

        Assert.Equal(SyncOutcome.Completed, (await h.SyncAsync()).Outcome);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("graphql")]
    [InlineData("rest")]
    public async Task Start_date_limits_the_first_sync_to_orders_updated_on_or_after_it(string modeName)
    {
        var mode = Enum.Parse<ShopifyReadMode>(modeName, ignoreCase: true);
        await using var h = await ShopifyHarness.StartAsync();
        var start = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

        var result = await h.SyncAsync(h.Options(mode) with { StartDate = start });

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders.Where(o => o.UpdatedAt >= start)), ExpectedRows.Of(h.Landed()));
        Assert.NotEmpty(h.Landed());
    }

    [Fact]
    public async Task A_backfill_that_sees_only_the_last_60_days_warns_about_read_all_orders()
    {
        await using var h = await ShopifyHarness.StartAsync();
        // The same shop as a token without read_all_orders sees it: nothing created more than 60 days ago.
        var limited = h.Emulator.Orders.Where(o => o.CreatedAt >= ShopifyHarness.Now.AddDays(-60)).ToList();
        await using var recent = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 0 });
        foreach (var order in limited)
        {
            recent.Emulator.Put(order);
        }

        await recent.SyncAsync(recent.Options() with { StartDate = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        await h.SyncAsync(h.Options() with { StartDate = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        Assert.Single(recent.Warnings, w => w.Contains("read_all_orders", StringComparison.Ordinal) && w.Contains("about 60 days ago", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Warnings, w => w.Contains("read_all_orders", StringComparison.Ordinal));
    }
}
