using System.Collections.Concurrent;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Emulators.WooCommerce;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>
/// The REST client's retries against the emulator on a fake clock: each wait between attempts is a timer on the
/// injected <see cref="TimeProvider"/>, so the test sees its length and lets it pass by advancing the clock.
/// </summary>
public sealed class RetryTests
{
    /// <summary>Longer than any retry wait, so the per-request time limit's timers are told apart from them.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_429_waits_exactly_the_Retry_After_the_store_sent()
    {
        // WordPress hosts and security plugins answer an exceeded limit with 429 and Retry-After in seconds (RFC 9110
        // §10.2.3); the emulator's host rate limit does the same.
        await using var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(3), TestContext.Current.CancellationToken);
        store.FailNext(1, 429, retryAfterSeconds: 7);
        var clock = new WaitClock(DateTimeOffset.UtcNow.AddMinutes(-5));
        using var http = new HttpClient();
        var client = Client(store, http, clock, new List<string>());

        var read = client.GetOrdersAsync(Query, TestContext.Current.CancellationToken);
        var wait = await clock.NextWaitAsync();
        clock.Advance(wait - TimeSpan.FromTicks(1));
        Assert.Single(store.Requests);
        clock.Advance(TimeSpan.FromTicks(1));
        var page = await read;

        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.Equal(3, page.Orders.Count);
        Assert.Equal(2, store.Requests.Count);
        Assert.Equal((2, 1), (client.RequestsSent, client.Retries));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_longest_wait_is_cut_to_it()
    {
        await using var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(3), TestContext.Current.CancellationToken);
        store.FailNext(1, 429, retryAfterSeconds: 600);
        var clock = new WaitClock(DateTimeOffset.UtcNow.AddMinutes(-5));
        using var http = new HttpClient();
        var client = Client(store, http, clock, new List<string>());

        var read = client.GetOrdersAsync(Query, TestContext.Current.CancellationToken);
        var wait = await clock.NextWaitAsync();
        clock.Advance(wait);
        await read;

        Assert.Equal(new WooCommerceClientOptions { SiteUrl = store.SiteUrl, ConsumerKey = "k", ConsumerSecret = "s" }.RetryMaxDelay, wait);
    }

    [Fact]
    public async Task Server_errors_exhaust_the_eight_attempts_on_the_doubling_schedule_and_say_what_to_do()
    {
        await using var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(3), TestContext.Current.CancellationToken);
        store.FailNext(8, 503);
        var clock = new WaitClock(DateTimeOffset.UtcNow.AddMinutes(-5));
        using var http = new HttpClient();
        var logs = new List<string>();
        var client = Client(store, http, clock, logs);

        var read = client.GetOrdersAsync(Query, TestContext.Current.CancellationToken);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            var wait = await clock.NextWaitAsync();
            waits.Add(wait);
            clock.Advance(wait);
        }

        var e = await Assert.ThrowsAsync<WooCommerceApiException>(() => read);

        // 2 s doubling, the last cut to the 120 s maximum.
        Assert.Equal([2, 4, 8, 16, 32, 64, 120], waits.Select(w => w.TotalSeconds));
        Assert.Equal(8, store.Requests.Count);
        Assert.Equal((8, 7), (client.RequestsSent, client.Retries));
        Assert.StartsWith($"The store at {store.SiteUrl} kept failing on /shop/wp-json/wc/v3/orders: HTTP 503 (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(" after 8 attempts. The host may be overloaded: lower requests_per_second or page_size, and run the sync again (it resumes from its checkpoint).", e.Message, StringComparison.Ordinal);
        Assert.Equal(7, logs.Count);
        Assert.StartsWith("WooCommerce /shop/wp-json/wc/v3/orders: HTTP 503 (", logs[0], StringComparison.Ordinal);
        Assert.EndsWith("; retry 1 in 00:00:02", logs[0], StringComparison.Ordinal);
        Assert.EndsWith("; retry 7 in 00:02:00", logs[6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_retrying_cannot_fix_is_not_retried()
    {
        await using var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(3), TestContext.Current.CancellationToken);
        store.FailNext(1, 404);
        var clock = new WaitClock(DateTimeOffset.UtcNow.AddMinutes(-5));
        using var http = new HttpClient();
        var client = Client(store, http, clock, new List<string>());

        await Assert.ThrowsAsync<WooCommerceApiException>(() => client.GetOrdersAsync(Query, TestContext.Current.CancellationToken));

        Assert.Single(store.Requests);
        Assert.Equal((1, 0), (client.RequestsSent, client.Retries));
    }

    private static WooOrderQuery Query => new(null, [], 10, 1);

    private static WooCommerceRestClient Client(WooCommerceEmulator store, HttpClient http, TimeProvider clock, List<string> logs) =>
        new(http, new WooCommerceClientOptions
        {
            SiteUrl = store.SiteUrl,
            ConsumerKey = WooCommerceEmulator.ConsumerKey,
            ConsumerSecret = WooCommerceEmulator.ConsumerSecret,
            RequestTimeout = RequestTimeout,
        }, clock, new ListLogger(logs));

    /// <summary>A fake clock that reports each wait shorter than the request time limit as its timer is made.</summary>
    private sealed class WaitClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly BlockingCollection<TimeSpan> waits = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime > TimeSpan.Zero && dueTime < RequestTimeout)
            {
                waits.Add(dueTime);
            }

            return timer;
        }

        public Task<TimeSpan> NextWaitAsync() =>
            Task.Run(() => waits.Take(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
    }

    private sealed class ListLogger(List<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (sink)
            {
                sink.Add(formatter(state, exception));
            }
        }
    }
}
