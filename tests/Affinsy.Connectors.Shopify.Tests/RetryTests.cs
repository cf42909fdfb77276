using System.Globalization;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// The client's retries against the emulator, on a <see cref="VirtualClock"/>: every wait is skipped but counted, so
/// <see cref="VirtualClock.Elapsed"/> is exactly what the retries waited on the injected clock.
/// </summary>
public sealed class RetryTests
{
    private const string Shop = "emulated.myshopify.com";

    [Fact]
    public async Task A_throttled_REST_call_waits_exactly_the_Retry_After_the_shop_sent()
    {
        // shopify.dev "REST Admin API rate limits": over the bucket, a call is answered 429 with Retry-After in
        // seconds (the emulator writes it with one decimal, "2.0" as seen from Shopify). A bucket of 2 leaks 0.1 call/s.
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3, CallBucket = 2 });
        var retryAfter = await DrainCallBucketAsync(shop.Emulator);
        var client = shop.Client();

        var (page, _) = await client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken);

        Assert.Equal(3, page.Orders!.Count);
        Assert.Equal(retryAfter, shop.Clock.Elapsed);
        Assert.Contains(shop.Logs, l => l.Contains(
            string.Create(CultureInfo.InvariantCulture, $"REST answered 429; waiting {retryAfter.TotalSeconds:F1} s (Retry-After)"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_without_Retry_After_waits_two_seconds_and_is_retried_until_the_24th_attempt()
    {
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(23, 429);
        var client = shop.Client();

        var (page, _) = await client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken);

        Assert.Equal(3, page.Orders!.Count);
        Assert.Equal(24, shop.Emulator.RestRequests);
        Assert.Equal(TimeSpan.FromSeconds(2 * 23), shop.Clock.Elapsed);
    }

    [Fact]
    public async Task A_24th_429_in_a_row_fails_with_the_status()
    {
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(24, 429);
        var client = shop.Client();

        var e = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken));

        Assert.Equal(429, e.StatusCode);
        Assert.Equal($"Shopify answered 429 for shop {Shop}: {{\"errors\":\"emulated 429\"}}.", e.Message);
        Assert.Equal(24, shop.Emulator.RestRequests);
    }

    [Fact]
    public async Task Server_errors_are_retried_five_times_after_1_2_4_8_16_seconds_then_fail_with_the_status()
    {
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(6, 503);
        var client = shop.Client();

        var e = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken));

        Assert.Equal(503, e.StatusCode);
        Assert.Equal($"Shopify answered 503 for shop {Shop}: {{\"errors\":\"emulated 503\"}}.", e.Message);
        Assert.Equal(6, shop.Emulator.RestRequests);
        Assert.Equal(TimeSpan.FromSeconds(1 + 2 + 4 + 8 + 16), shop.Clock.Elapsed);
        Assert.Equal(
            [.. Enumerable.Range(1, 5).Select(i => $"Shopify {Shop}: REST answered 503; retry {i}.")],
            shop.Logs.Where(l => l.Contains("answered 503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Server_errors_that_clear_by_the_sixth_attempt_are_not_seen()
    {
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(5, 500);
        var client = shop.Client();

        var (page, _) = await client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken);

        Assert.Equal(3, page.Orders!.Count);
        Assert.Equal(6, shop.Emulator.RestRequests);
    }

    [Fact]
    public async Task Throttled_attempts_count_towards_the_limit_of_server_errors()
    {
        // One count per request: after five 429s, a 503 on the sixth attempt is final.
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(5, 429);
        shop.Emulator.FailNextRequests(1, 503);
        var client = shop.Client();

        var e = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RestOrdersAsync(shop.OrdersUrl(client), TestContext.Current.CancellationToken));

        Assert.Equal(503, e.StatusCode);
        Assert.Equal(6, shop.Emulator.RestRequests);
        Assert.Equal(TimeSpan.FromSeconds(5 * 2), shop.Clock.Elapsed);
    }

    [Fact]
    public async Task A_GraphQL_call_is_retried_on_server_errors_like_REST()
    {
        await using var shop = await StartAsync(new ShopifyEmulatorOptions { Orders = 3 });
        shop.Emulator.FailNextRequests(2, 502);
        var client = shop.Client();

        var response = await client.GraphQLAsync(
            ShopifyQueries.Orders(10), new GqlVariables { First = 10 }, GraphQLJsonContext.Default.GqlResponseGqlOrdersData, TestContext.Current.CancellationToken);

        Assert.Equal(3, response.Data!.Orders!.Edges!.Count);
        Assert.Equal(3, shop.Emulator.GraphQLRequests);
        Assert.Equal(
            [$"Shopify {Shop}: GraphQL answered 502; retry 1.", $"Shopify {Shop}: GraphQL answered 502; retry 2."],
            shop.Logs.Where(l => l.Contains("answered 502", StringComparison.Ordinal)));
    }

    /// <summary>Plain requests until the shop answers 429; returns the Retry-After it sent (the clock does not move meanwhile).</summary>
    private static async Task<TimeSpan> DrainCallBucketAsync(ShopifyEmulator emulator)
    {
        using var http = new HttpClient();
        var url = new Uri(emulator.BaseUrl, $"admin/api/{ApiVersionCalendar.Default}/orders.json?limit=1");
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("X-Shopify-Access-Token", emulator.Options.AccessToken);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            if ((int)response.StatusCode == 429)
            {
                var seconds = double.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
                Assert.True(seconds > 0);
                return TimeSpan.FromSeconds(seconds);
            }
        }

        throw new InvalidOperationException("The emulator never answered 429.");
    }

    private static async Task<EmulatedShop> StartAsync(ShopifyEmulatorOptions options)
    {
        var clock = new VirtualClock(ShopifyHarness.Now);
        return new EmulatedShop(clock, await ShopifyEmulator.StartAsync(options, clock, TestContext.Current.CancellationToken));
    }

    private sealed class EmulatedShop(VirtualClock clock, ShopifyEmulator emulator) : IAsyncDisposable
    {
        private readonly HttpClient http = new();

        public VirtualClock Clock => clock;

        public ShopifyEmulator Emulator => emulator;

        /// <summary>Every line the client logged, information included.</summary>
        public List<string> Logs { get; } = [];

        public ShopifyClient Client() => new(
            http, emulator.BaseUrl, Shop, ApiVersionCalendar.Default, emulator.Options.AccessToken, clock, new ListLogger(Logs));

        public Uri OrdersUrl(ShopifyClient client) => new(client.AdminBase, "orders.json?status=any&limit=50");

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await emulator.DisposeAsync();
        }
    }
}
