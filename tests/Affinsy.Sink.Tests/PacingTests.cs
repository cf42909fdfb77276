using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class PacingTests
{
    private static SinkOptions OneOrderPerRequest(SinkOptions o) => new()
    {
        BaseUrl = o.BaseUrl,
        ApiKey = o.ApiKey,
        RetryBaseDelay = o.RetryBaseDelay,
        Linger = o.Linger,
        RequestTimeout = o.RequestTimeout,
        MaxLineItemsPerRequest = 1,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Many_requests_stay_under_sixty_in_every_rolling_minute_and_draw_no_429(bool serverSendsRateHeaders)
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { RateHeaders = serverSendsRateHeaders }, tune: OneOrderPerRequest);
        var orders = Enumerable.Range(0, 150).Select(i => Orders.WithLines($"o{i}", 1)).ToArray();

        var result = await harness.DriveAsync(
            harness.RunAsync(new ListSource([.. orders.Chunk(10).Select((c, i) => Orders.Batch($"{i}", c))]),
                cancellationToken: TestContext.Current.CancellationToken), limit: TimeSpan.FromHours(1));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(0, harness.Remote.Throttled);
        Assert.Equal(0, result.Throttled);
        var arrivals = harness.Remote.Requests.Select(r => r.At).Order().ToArray();
        Assert.Equal(150, arrivals.Length);
        for (var i = 60; i < arrivals.Length; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 60] >= TimeSpan.FromSeconds(60), $"requests {i - 60}..{i} fell within one minute");
        }

        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
    }

    [Fact]
    public async Task Two_pipelines_sharing_a_sender_never_have_more_than_two_requests_in_flight()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { Hold = true }, tune: OneOrderPerRequest);
        var token = TestContext.Current.CancellationToken;
        var second = new PipelineSync(harness.Sender, new RecordingCheckpointStore(), new InMemoryDeadLetterStore(), harness.Time);
        OrderBatch[] Batches(string prefix) => [.. Enumerable.Range(0, 10).Select(i => Orders.Batch($"{i}", Orders.WithLines($"{prefix}{i}", 1)))];

        var runs = Task.WhenAll(
            harness.RunAsync(new ListSource(Batches("a")), cancellationToken: token),
            second.RunAsync("other", "other-store", new ListSource(Batches("b")), null, token));

        // Hold each request until a second one is in flight too, so a missing limit would show as a third.
        var held = new Queue<Arrival>();
        for (var seen = 0; seen < 20; seen++)
        {
            held.Enqueue(await harness.Remote.Arrivals.Reader.ReadAsync(token));
            while (held.Count >= 2 || (seen == 19 && held.Count > 0))
            {
                held.Dequeue().Release();
            }
        }

        var results = await runs;
        Assert.All(results, r => Assert.Equal(SyncOutcome.Completed, r.Outcome));
        Assert.Equal(2, harness.Remote.PeakInFlight);
        Assert.Equal(20, harness.Remote.Requests.Count);
    }

    [Fact]
    public async Task Remaining_zero_makes_the_sender_wait_for_the_window_before_the_next_request()
    {
        using var harness = new SyncHarness();
        var token = TestContext.Current.CancellationToken;
        var first = true;
        harness.Remote.Script = _ =>
        {
            if (!first)
            {
                return null;
            }

            first = false;
            // Another client of the same user used the rest of the quota.
            return FakeAffinsy.Answer(System.Net.HttpStatusCode.OK,
                """{"import_id":"imp_1","dataset_id":"my-store","status":"completed","orders_received":1,"line_items_received":1,"inserted":1,"updated":0,"rejected":0,"warning":null}""",
                remaining: 0);
        };
        var counters = new SendCounters();
        await harness.Sender.SendAsync("my-store", [Orders.WithLines("a", 1)], counters, token);

        var next = harness.Sender.SendAsync("my-store", [Orders.WithLines("b", 1)], counters, token);
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(next.IsCompleted);
        Assert.Single(harness.Remote.Requests);

        await harness.DriveAsync(next, TimeSpan.FromMinutes(5));
        var requests = harness.Remote.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(60));
        Assert.Equal(0, counters.Throttled);
    }

    [Fact]
    public async Task Retry_after_is_honoured_before_the_request_is_sent_again()
    {
        using var harness = new SyncHarness();
        var token = TestContext.Current.CancellationToken;
        var calls = 0;
        harness.Remote.Script = _ => Interlocked.Increment(ref calls) == 1
            ? FakeAffinsy.Answer(System.Net.HttpStatusCode.TooManyRequests, """{"error":"Rate limit exceeded."}""", TimeSpan.FromSeconds(5))
            : null;
        var counters = new SendCounters();

        var outcome = await harness.DriveAsync(
            harness.Sender.SendAsync("my-store", [Orders.WithLines("a", 1)], counters, token), limit: TimeSpan.FromMinutes(5));

        Assert.Equal(1, outcome.OrdersAccepted);
        var requests = harness.Remote.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(5), $"re-sent after {requests[1].At - requests[0].At}");
        Assert.Equal(1, counters.Throttled);
        Assert.Equal(1, counters.Retries);
    }
}
