using System.Globalization;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Connectors.WooCommerce.Reading;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class ReadAheadTests
{
    [Fact]
    public async Task The_next_page_is_asked_for_before_the_current_one_is_handed_on()
    {
        var store = new ScriptedStore([Page(1, 2, hasNext: true), Page(3, 4, hasNext: false)]);
        var source = new WooCommerceOrderSource(store, Options(), NullLogger.Instance);
        await using var batches = source.ReadAsync(null, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(["1", "2"], batches.Current.Normalize().Orders.Select(o => o.OrderId));
        Assert.Equal(2, store.Queries.Count);

        // Keyed paging still holds: the page read ahead starts a second before the last instant of the first.
        Assert.Equal(1, store.Queries[1].Page);
        Assert.Equal(Modified(2).AddSeconds(-1), store.Queries[1].ModifiedAfter);
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(["3", "4"], batches.Current.Normalize().Orders.Select(o => o.OrderId));
        Assert.False(await batches.MoveNextAsync());
        Assert.Equal(2, store.Queries.Count);
    }

    [Fact]
    public async Task The_refund_reads_of_a_page_all_start_before_the_first_is_answered()
    {
        var store = new ScriptedStore([Page(1, 3, hasNext: false, refunded: true)]);
        var source = new WooCommerceOrderSource(store, Options(), NullLogger.Instance);
        await using var batches = source.ReadAsync(null, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var first = batches.MoveNextAsync();
        Assert.Equal([1L, 2L, 3L], store.RefundReads.Keys.Order());
        Assert.False(first.IsCompleted);
        foreach (var answer in store.RefundReads.Values.Reverse())
        {
            answer.SetResult([]);
        }

        Assert.True(await first);
        Assert.Equal(["1", "2", "3"], batches.Current.Normalize().Orders.Select(o => o.OrderId));
    }

    [Fact]
    public async Task A_reader_that_stops_early_cancels_the_page_read_ahead()
    {
        var store = new ScriptedStore([Page(1, 2, hasNext: true)]) { HoldFurtherPages = true };
        var source = new WooCommerceOrderSource(store, Options(), NullLogger.Instance);
        var batches = source.ReadAsync(null, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        Assert.True(await batches.MoveNextAsync());
        await batches.DisposeAsync();

        Assert.True(store.HeldPageCancelled);
    }

    [Fact]
    public async Task A_checkpoint_from_another_kind_of_source_fails_and_names_the_reset()
    {
        var source = new WooCommerceOrderSource(new ScriptedStore([]), Options(), NullLogger.Instance);
        var foreign = new Affinsy.Core.Sources.Checkpoint("""{"path":"/x.csv","offset":10}""");

        var e = await Assert.ThrowsAsync<Affinsy.Core.Sources.UnreadableCheckpointException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(foreign, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Contains("state reset", e.Message, StringComparison.Ordinal);
    }

    private static WooCommerceSourceOptions Options() => new()
    {
        Url = new Uri("https://shop.example"),
        ConsumerKey = "ck",
        ConsumerSecret = "cs",
    };

    private static DateTimeOffset Modified(long id) => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(id * 10);

    private static WooOrderPage Page(long firstId, long lastId, bool hasNext, bool refunded = false)
    {
        var orders = new List<WooOrder>();
        for (var id = firstId; id <= lastId; id++)
        {
            var at = Modified(id).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            orders.Add(new WooOrder
            {
                Id = id,
                Status = "completed",
                Currency = "EUR",
                DateCreatedGmt = at,
                DateModifiedGmt = at,
                LineItems = [new WooLineItem { Id = id * 100, Name = "Mug", Quantity = 1, Total = "9.50" }],
                Refunds = refunded ? [new WooRefundSummary { Id = id * 1000 }] : [],
            });
        }

        return new WooOrderPage(orders, -1, -1, hasNext);
    }

    private sealed class ScriptedStore(IReadOnlyList<WooOrderPage> pages) : IWooCommerceOrders
    {
        private readonly TaskCompletionSource heldCancelled = new();

        public List<WooOrderQuery> Queries { get; } = [];

        public Dictionary<long, TaskCompletionSource<IReadOnlyList<WooRefund>>> RefundReads { get; } = [];

        public bool HoldFurtherPages { get; init; }

        public bool HeldPageCancelled => heldCancelled.Task.IsCompleted;

        public async Task<WooOrderPage> GetOrdersAsync(WooOrderQuery query, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            if (Queries.Count <= pages.Count)
            {
                return pages[Queries.Count - 1];
            }

            if (HoldFurtherPages)
            {
                using var registration = cancellationToken.Register(() => heldCancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            throw new InvalidOperationException("no page scripted for " + query);
        }

        public Task<IReadOnlyList<WooRefund>> GetRefundsAsync(long orderId, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<IReadOnlyList<WooRefund>>(TaskCreationOptions.RunContinuationsAsynchronously);
            RefundReads[orderId] = answer;
            return answer.Task;
        }
    }
}
