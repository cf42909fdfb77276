using System.Net;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task Gateway_timeouts_server_errors_throttling_and_dropped_connections_are_retried_without_losing_data()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, Linger = o.Linger, RequestTimeout = o.RequestTimeout,
            RetryBaseDelay = TimeSpan.FromMilliseconds(200), MaxLineItemsPerRequest = 20,
        });
        var failures = new Queue<Func<HttpResponseMessage>>(
        [
            // A proxy's 504 (no Affinsy body): nothing says it was applied, so it is sent again.
            () => ProxyGatewayTimeout(),
            () => FakeAffinsy.Answer(HttpStatusCode.InternalServerError, """{"error":"Boom.","request_id":"r-2"}"""),
            () => FakeAffinsy.Answer(HttpStatusCode.TooManyRequests, """{"error":"Rate limit exceeded."}""", TimeSpan.FromSeconds(1)),
            () => throw new HttpRequestException("The connection was reset."),
            () => FakeAffinsy.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"Down.","request_id":"r-3"}"""),
        ]);
        var storeEveryOther = 0;
        harness.Remote.Script = _ =>
        {
            // Alternate failures with successes so several requests of the run are hit.
            lock (failures)
            {
                return storeEveryOther++ % 2 == 0 && failures.TryDequeue(out var fail) ? fail() : null;
            }
        };
        var orders = Enumerable.Range(0, 50).Select(i => Orders.WithLines($"o{i}", 4)).ToArray();

        var result = await harness.DriveAsync(
            harness.RunAsync(new ListSource([.. orders.Chunk(5).Select((c, i) => Orders.Batch($"{i}", c))]),
                cancellationToken: TestContext.Current.CancellationToken), limit: TimeSpan.FromMinutes(10));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(5, result.Retries);
        Assert.Equal(1, result.Throttled);
        Assert.Equal(3, result.ServerErrors);
        Assert.Equal(1, result.TransportFailures);
        Assert.Equal(orders.Length, result.OrdersSent);
        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
        Assert.All(orders.SelectMany(o => o.LineItems.Select(l => (o.OrderId, l))), x =>
            Assert.Equal((x.l.UnitPrice, x.l.Quantity), harness.Remote.Rows[("my-store", x.OrderId, x.l.ProductName)]));
        Assert.Equal("9", harness.Checkpoints.Current?.Value);
        Assert.Empty(harness.DeadLetters.Letters);
    }

    [Fact]
    public async Task A_request_that_does_not_answer_in_time_is_abandoned_and_sent_again()
    {
        using var harness = new SyncHarness(
            remote: t => new FakeAffinsy(t) { Hold = true },
            tune: o => new SinkOptions
            {
                BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = TimeSpan.Zero, RequestTimeout = TimeSpan.FromSeconds(45),
            });
        var token = TestContext.Current.CancellationToken;
        var counters = new Sending.SendCounters();

        var send = harness.Sender.SendAsync("my-store", [Orders.WithLines("a", 1)], counters, token);
        _ = await harness.Remote.Arrivals.Reader.ReadAsync(token); // never answered
        harness.Time.Advance(TimeSpan.FromSeconds(45));
        (await harness.Remote.Arrivals.Reader.ReadAsync(token)).Release();
        var outcome = await send;

        Assert.Equal(1, outcome.OrdersAccepted);
        Assert.Equal(1, counters.TransportFailures);
        Assert.Equal(1, counters.Retries);
        Assert.Equal(2, counters.Requests);
    }

    [Fact]
    public async Task A_request_failing_every_attempt_fails_the_sync_with_a_clear_error_and_no_checkpoint()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, Linger = o.Linger, RequestTimeout = o.RequestTimeout,
            RetryBaseDelay = TimeSpan.Zero, MaxAttempts = 3,
        });
        harness.Remote.Script = _ => FakeAffinsy.Answer(HttpStatusCode.BadGateway, """{"error":"Upstream down.","request_id":"req-42"}""");

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", Orders.WithLines("a", 1))]),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(3, harness.Remote.Requests.Count);
        Assert.Contains("Gave up after 3 attempts", result.Error, StringComparison.Ordinal);
        Assert.Contains("req-42", result.Error, StringComparison.Ordinal);
        Assert.Null(harness.Checkpoints.Current);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "AFFINSY_API_KEY")]
    [InlineData(HttpStatusCode.Forbidden, "Max plan")]
    public async Task Authorization_failures_are_fatal_at_once_with_what_to_do_and_without_the_key(HttpStatusCode status, string hint)
    {
        using var harness = new SyncHarness();
        harness.Remote.Script = _ => FakeAffinsy.Answer(status, """{"error":"No."}""");

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", Orders.WithLines("a", 1))]),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Single(harness.Remote.Requests);
        Assert.Contains(hint, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAffinsy.Key, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAffinsy.Key, result.Exception!.ToString(), StringComparison.Ordinal);
    }

    internal static HttpResponseMessage ProxyGatewayTimeout() => new(HttpStatusCode.GatewayTimeout)
    {
        Content = new StringContent("<html><body><h1>504 Gateway Time-out</h1></body></html>", System.Text.Encoding.UTF8, "text/html"),
    };
}
