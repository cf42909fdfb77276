using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class BisectionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Three_invalid_orders_among_a_hundred_are_dead_lettered_and_the_other_ninety_seven_stored(bool detailsInErrors)
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { DetailsInErrors = detailsInErrors, MaxQuantity = 999m });
        var invalid = new HashSet<int> { 7, 50, 93 };
        var orders = Enumerable.Range(0, 100)
            .Select(i => Orders.WithLines($"o{i}", 2, quantity: invalid.Contains(i) ? 1000m : 1m)) // normalizable, refused by the server
            .ToArray();

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", orders)]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(97, result.OrdersSent);
        Assert.Equal(3, result.OrdersDeadLettered);
        var valid = orders.Where((_, i) => !invalid.Contains(i));
        Assert.Equal(Orders.RowsOf("my-store", valid), harness.Remote.Rows.Keys.ToHashSet());
        var letters = harness.DeadLetters.Letters;
        Assert.Equal(["o50", "o7", "o93"], letters.Select(l => l.OrderId!).Order(StringComparer.Ordinal));
        Assert.All(letters, l =>
        {
            Assert.Contains("Validation failed.", l.Reason, StringComparison.Ordinal);
            Assert.Contains(l.OrderId!, l.OriginalRecord, StringComparison.Ordinal);
        });
        if (detailsInErrors)
        {
            Assert.All(letters, l => Assert.Contains("must be at most 999", l.Details, StringComparison.Ordinal));
            Assert.Equal(2, harness.Remote.Requests.Count); // the details name the orders: one retry of the rest
        }

        Assert.Equal("1", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task A_413_splits_the_request_and_sends_every_order()
    {
        using var harness = new SyncHarness();
        var first = true;
        harness.Remote.Script = _ =>
        {
            if (!first)
            {
                return null;
            }

            first = false;
            return FakeAffinsy.Answer(System.Net.HttpStatusCode.RequestEntityTooLarge, """{"error":"Too many line items: 40 (max 30)."}""");
        };
        var orders = Enumerable.Range(0, 4).Select(i => Orders.WithLines($"o{i}", 10)).ToArray();

        var result = await harness.RunAsync(new ListSource([Orders.Batch("1", orders)]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(3, harness.Remote.Requests.Count);
        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
        Assert.Empty(harness.DeadLetters.Letters);
    }
}
