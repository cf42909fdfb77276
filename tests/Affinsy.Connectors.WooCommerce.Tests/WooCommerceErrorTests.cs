using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.WooCommerce;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class WooCommerceErrorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_HTML_page_instead_of_JSON_names_the_content_type_and_the_page_title()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Store.HtmlStatus = 403;
        harness.Store.HtmlPage = "<!DOCTYPE html><html><head><title>Access denied | shop.example.com used Wordfence</title></head><body>Blocked</body></html>";

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("HTML page instead of JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("content-type 'text/html'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Access denied | shop.example.com used Wordfence", result.Error, StringComparison.Ordinal);
        Assert.Contains("security plugin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_maintenance_page_answered_200_is_not_taken_for_orders()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Store.HtmlPage = "<html><head><title>Maintenance mode</title></head></html>";

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("title 'Maintenance mode'", result.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Landed());
    }

    [Fact]
    public async Task A_missing_REST_route_says_what_to_check()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Store.RestEnabled = false;

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("rest_no_route", result.Error, StringComparison.Ordinal);
        Assert.Contains("pretty permalinks", result.Error, StringComparison.Ordinal);
        Assert.Single(harness.Store.Requests);
    }

    [Fact]
    public async Task A_wrong_secret_is_a_credentials_error_that_never_shows_the_secret()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Options = harness.Options with { ConsumerSecret = "cs_wrong_but_secret" };

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("rejected the consumer key or secret", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_wrong_but_secret", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(WooCommerceEmulator.ConsumerKey, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_read_permission_is_told_apart_from_a_bad_key()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Store.KeyCanRead = false;

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("lacks read permission", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("rejected the consumer key or secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_the_client_cannot_trust_is_a_TLS_error_that_is_not_retried()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token, untrustedTls: true);

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.StartsWith("The TLS connection to 127.0.0.1 failed:", result.Error, StringComparison.Ordinal);
        Assert.Contains("certificate", result.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Store.Requests);
    }
}
