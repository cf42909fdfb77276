using System.Globalization;
using System.Net;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.WooCommerce;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>
/// The connector against a plain-http store that verifies as WooCommerce's WC_REST_Authentication does (the emulator's
/// port of it): signed requests accepted, Basic refused, replayed nonces and stale timestamps refused.
/// </summary>
public sealed class OAuthAuthenticationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_plain_http_store_is_read_with_signed_requests_that_never_carry_the_secret(bool sha1)
    {
        var method = sha1 ? OAuthSignatureMethod.HmacSha1 : OAuthSignatureMethod.HmacSha256;
        await using var harness = await WooSyncHarness.StartAsync(60, Token);
        harness.Options = harness.Options with { SignatureMethod = method };

        var result = await harness.SyncAsync(Token);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(WooSyncHarness.Expected(harness.Store.Orders), harness.Landed());
        Assert.All(harness.Store.Requests, r => Assert.Contains("&oauth_signature=", r.Query, StringComparison.Ordinal));
        Assert.All(harness.Store.Requests, r => Assert.DoesNotContain(WooCommerceEmulator.ConsumerSecret, r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Basic_auth_over_plain_http_is_refused_as_WooCommerce_refuses_it()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Options = harness.Options with { Auth = StoreAuth.Basic };

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("woocommerce_rest_cannot_view", result.Error, StringComparison.Ordinal);
        Assert.Contains("auth: oauth1", result.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Landed());
    }

    [Fact]
    public async Task A_replayed_nonce_is_refused_and_a_fresh_one_accepted()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        var signer = new OAuthSigner(WooCommerceEmulator.ConsumerKey, WooCommerceEmulator.ConsumerSecret, OAuthSignatureMethod.HmacSha256, TimeProvider.System);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var orders = new Uri(harness.Store.SiteUrl, "wp-json/wc/v3/orders?per_page=5");
        using var http = new HttpClient();

        using var first = await http.GetAsync(signer.Sign(orders, now, "nonce-used-once-0123456789abcdef"), Token);
        using var replay = await http.GetAsync(signer.Sign(orders, now, "nonce-used-once-0123456789abcdef"), Token);
        using var fresh = await http.GetAsync(signer.Sign(orders, now, "another-nonce-0123456789abcdef00"), Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("nonce has already been used", await replay.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task A_clock_more_than_15_minutes_off_is_refused_with_a_message_that_names_the_clock()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.ClientClock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-16));

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("Invalid timestamp", result.Error, StringComparison.Ordinal);
        Assert.Contains("clock is within 15 minutes", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(WooCommerceEmulator.ConsumerSecret, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clock_a_few_minutes_off_is_still_accepted()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.ClientClock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));

        var result = await harness.SyncAsync(Token);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
    }

    [Fact]
    public async Task A_signature_made_with_the_wrong_secret_is_refused()
    {
        await using var harness = await WooSyncHarness.StartAsync(10, Token);
        harness.Options = harness.Options with { ConsumerSecret = "cs_not_the_one" };

        var result = await harness.SyncAsync(Token);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("Invalid signature - provided signature does not match.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_not_the_one", result.Error, StringComparison.Ordinal);
    }
}
