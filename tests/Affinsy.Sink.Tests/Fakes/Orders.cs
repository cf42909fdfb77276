using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>Builds test orders and batches.</summary>
internal static class Orders
{
    public static Order WithLines(string id, int lines, decimal quantity = 1m) =>
        new(id, "c-" + id, new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero), "EUR",
            [.. Enumerable.Range(0, lines).Select(i => new LineItem($"product {i}", 9.99m + i, quantity))]);

    public static OrderBatch Batch(string checkpoint, params Order[] orders) => new(Drafts(orders), [], new Checkpoint(checkpoint));

    /// <summary>Orders as a source yields them: drafts the pipeline normalizes.</summary>
    public static OrderDraft[] Drafts(params Order[] orders) => [.. orders.Select(o => OrderDraft.From(o))];

    /// <summary>The (order, product) pairs a set of orders should leave stored.</summary>
    public static HashSet<(string, string, string)> RowsOf(string dataset, IEnumerable<Order> orders) =>
        [.. orders.SelectMany(o => o.LineItems.Select(l => (dataset, o.OrderId, l.ProductName)))];
}
