using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Host.Operations;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class SinkMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly string pipeline = "sink-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_sync_against_the_reference_server_counts_exactly_the_line_items_sent_and_the_429s_seen()
    {
        var token = TestContext.Current.CancellationToken;
        var serverClock = new FakeTimeProvider(Start);
        var clock = new DrivenClock(Start);
        await using var server = await ReferenceServer.StartAsync(
            new ReferenceServerOptions
            {
                Time = serverClock,
                Logging = _ => { },
                Settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 3, WindowSeconds = 60 } },
            },
            token);
        using var capture = new MetricCapture(pipeline);
        using var scrape = new PrometheusMetrics();

        // Another client of the same user spends the quota, so the sink's first request meets a 429 it could not foresee.
        await SpendQuotaAsync(server, 3, token);
        using var http = new HttpClient();
        using var sender = new AffinsySender(
            http,
            new SinkOptions
            {
                BaseUrl = server.ApiBase, ApiKey = ReferenceSettings.LocalDevKey, MaxInFlight = 1, MaxLineItemsPerRequest = 10,
                RequestTimeout = TimeSpan.FromHours(1),
            },
            clock);
        var state = new MemoryState();
        var orders = Enumerable.Range(0, 12).Select(i => OrderOf($"o{i}", lines: 2 + (i % 3), Start.AddMinutes(-60 + i))).ToList();

        var result = await DriveAsync(
            new PipelineSync(sender, state, state, clock).RunAsync(pipeline, "shop", new ListSource(orders, perBatch: 4), null, token),
            clock,
            serverClock);

        var stored = server.Store.LoadLines("local", "shop").Count;
        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(orders.Sum(o => o.LineItems.Count), stored);
        Assert.Equal(stored, capture["affinsy.line_items.sent"]);
        Assert.True(server.Gate.Throttled > 0, "the run must have met at least one 429");
        Assert.Equal(server.Gate.Throttled, capture["affinsy.throttled"]);
        Assert.Equal(result.Throttled, capture["affinsy.throttled"]);
        Assert.Equal(result.Retries, capture["affinsy.retries"]);
        Assert.Equal(result.Requests, capture["affinsy.requests"]);
        Assert.Equal(orders.Count, capture["affinsy.orders.read"]);

        // The last checkpoint covers the newest order (dated 49 minutes before the start); the clock moved on since.
        var lag = Assert.Single((await PrometheusScrape.ParseAsync(scrape)).Named("affinsy_checkpoint_lag_seconds", pipeline)).Value;
        Assert.Equal((clock.GetUtcNow() - orders.Max(o => o.OrderDate!.Value)).TotalSeconds, lag, 3);
        Assert.True(lag >= 49 * 60);
    }

    [Fact]
    public async Task Records_the_source_refused_count_as_dead_letters_and_a_sync_records_one_duration()
    {
        var token = TestContext.Current.CancellationToken;
        await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { Logging = _ => { } }, token);
        using var capture = new MetricCapture(pipeline);
        using var http = new HttpClient();
        using var sender = new AffinsySender(http, new SinkOptions { BaseUrl = server.ApiBase, ApiKey = ReferenceSettings.LocalDevKey, Linger = TimeSpan.Zero });
        var state = new MemoryState();
        var source = new ListSource([OrderOf("a", 1, Start)], perBatch: 1, refusals: 2);

        var result = await new PipelineSync(sender, state, state).RunAsync(pipeline, "shop", source, null, token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(2, capture["affinsy.dead_letters"]);
        Assert.Equal(1, capture["affinsy.line_items.sent"]);
        Assert.Equal(1, capture.Count("affinsy.sync.duration"));
    }

    private static Order OrderOf(string id, int lines, DateTimeOffset at) =>
        new(id, "c-" + id, at, "EUR", [.. Enumerable.Range(0, lines).Select(l => new LineItem($"product {l}", 2.5m, 1 + l))]);

    private static async Task SpendQuotaAsync(ReferenceServer server, int requests, CancellationToken token)
    {
        using var other = new HttpClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReferenceSettings.LocalDevKey);
        for (var i = 0; i < requests; i++)
        {
            using var response = await other.GetAsync(new Uri(server.ApiBase, "datasets"), token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Moves both clocks together, and only when the sink waits on a timer (Retry-After, window, linger).</summary>
    private static async Task<T> DriveAsync<T>(Task<T> task, DrivenClock clock, FakeTimeProvider serverClock)
    {
        var limit = Start.AddHours(1);
        var now = clock.GetUtcNow();
        while (!task.IsCompleted)
        {
            now = clock.GetUtcNow();
            if (now > limit)
            {
                throw new TimeoutException($"The sync is still running after {now - Start} of fake time.");
            }

            var arming = clock.NextArming;
            if (clock.NextWait() is { } due && due > now)
            {
                serverClock.Advance(due - now);
                clock.Advance(due - now);
                continue;
            }

            await Task.WhenAny(task, arming);
        }

        return await task;
    }

    private sealed class ListSource(IReadOnlyList<Order> orders, int perBatch, int refusals = 0) : IOrderSource
    {
        public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            var chunks = orders.Chunk(perBatch).ToList();
            for (var i = 0; i < chunks.Count; i++)
            {
                var refused = i == 0
                    ? Enumerable.Range(0, refusals).Select(r => new Refusal("no line items", $"record {r}", "{}")).ToList()
                    : [];
                yield return new OrderBatch([.. chunks[i].Select(o => OrderDraft.From(o))], refused, new Checkpoint($"{{\"batch\":{i}}}"));
            }
        }
    }
}
