using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class PackingSyncTests
{
    [Fact]
    public async Task Ten_thousand_line_items_go_in_one_request()
    {
        using var harness = new SyncHarness();
        var orders = Enumerable.Range(0, 100).Select(i => Orders.WithLines($"o{i}", 100)).ToArray();

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", orders[..50]), Orders.Batch("2", orders[50..])]),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Pipelines.SyncOutcome.Completed, result.Outcome);
        Assert.Single(harness.Remote.Requests);
        Assert.Equal(10_000, result.LineItemsSent);
        Assert.Equal("2", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task Ten_thousand_and_one_line_items_take_two_requests_and_no_order_is_split()
    {
        using var harness = new SyncHarness();
        var orders = Enumerable.Range(0, 100).Select(i => Orders.WithLines($"o{i}", 100)).Append(Orders.WithLines("last", 1)).ToArray();

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", orders)]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Pipelines.SyncOutcome.Completed, result.Outcome);
        var requests = harness.Remote.Requests;
        Assert.Equal(2, requests.Count);
        var idsPerRequest = requests.Select(r => r.OrderIds).ToArray();
        Assert.Equal(orders.Length, idsPerRequest.Sum(ids => ids.Count));
        Assert.Empty(idsPerRequest[0].Intersect(idsPerRequest[1]));
        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
    }

    [Fact]
    public async Task A_configured_lower_limit_packs_smaller_requests()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger, MaxLineItemsPerRequest = 250,
        });
        var orders = Enumerable.Range(0, 10).Select(i => Orders.WithLines($"o{i}", 100)).ToArray();

        await harness.RunAsync(new ListSource([Orders.Batch("1", orders)]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(5, harness.Remote.Requests.Count);
        Assert.All(harness.Remote.Requests, r => Assert.Equal(2, r.OrderIds.Count));
    }

    [Fact]
    public async Task An_order_alone_over_the_limit_is_dead_lettered_with_a_reason_and_never_sent()
    {
        // Under the configured limit: an order of more than the API's 10,000 products is already refused by normalization.
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger,
            RequestTimeout = o.RequestTimeout, MaxLineItemsPerRequest = 100,
        });
        var huge = Orders.WithLines("huge", 101);
        var small = Orders.WithLines("small", 3);

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", huge, small)]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Pipelines.SyncOutcome.Completed, result.Outcome);
        var letter = Assert.Single(harness.DeadLetters.Letters);
        Assert.Equal("huge", letter.OrderId);
        Assert.Contains("101 line items", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("never split", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(["small"], Assert.Single(harness.Remote.Requests).OrderIds);
        Assert.Equal(1, result.OrdersDeadLettered);
        Assert.Equal("1", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task Source_refusals_are_dead_lettered_and_their_batch_still_checkpoints()
    {
        using var harness = new SyncHarness();
        var refusal = new Core.Sources.Refusal("no order id", "line 7", "raw,record");
        var batch = new Core.Sources.OrderBatch(Orders.Drafts(Orders.WithLines("a", 1)), [refusal], new Core.Sources.Checkpoint("1"));

        var result = await harness.RunAsync(new ListSource([batch]), cancellationToken: TestContext.Current.CancellationToken);

        var letter = Assert.Single(harness.DeadLetters.Letters);
        Assert.Equal("line 7", letter.Position);
        Assert.Equal("raw,record", letter.OriginalRecord);
        Assert.Equal(1, result.OrdersRefused);
        Assert.Equal("1", harness.Checkpoints.Current?.Value);
    }
}
