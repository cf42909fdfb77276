using System.Globalization;
using System.Runtime.CompilerServices;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Benchmarks;

/// <summary>
/// Orders generated before the clock starts and replayed as batches, so the benchmark measures the sink
/// and not a generator: orders of 1-6 lines, 500 customers, 2,000 products.
/// </summary>
internal sealed class MemoryOrderSource : IOrderSource
{
    private readonly List<OrderBatch> batches = [];

    public MemoryOrderSource(long lineItems, int ordersPerBatch)
    {
        var random = new Random(42);
        var orders = new List<Order>(ordersPerBatch);
        long made = 0, number = 0;
        while (made < lineItems)
        {
            var count = (int)Math.Min(random.Next(1, 7), lineItems - made);
            var lines = new LineItem[count];
            for (var l = 0; l < count; l++)
            {
                // One product per 300-name band per line keeps an order's products distinct.
                lines[l] = new LineItem(
                    "Product " + (l * 300 + random.Next(300)).ToString(CultureInfo.InvariantCulture),
                    random.Next(100, 5000) / 100m,
                    random.Next(1, 4));
            }

            orders.Add(new Order(
                "o" + number++.ToString(CultureInfo.InvariantCulture),
                "c" + random.Next(500).ToString(CultureInfo.InvariantCulture),
                new DateTimeOffset(2025, random.Next(1, 10), random.Next(10, 20), 10, 0, 0, TimeSpan.Zero),
                "EUR",
                lines));
            made += count;
            if (orders.Count == ordersPerBatch || made == lineItems)
            {
                batches.Add(new OrderBatch([.. orders.Select(o => OrderDraft.From(o))], [], new Checkpoint("{\"orders\":" + number.ToString(CultureInfo.InvariantCulture) + "}")));
                orders = new List<Order>(ordersPerBatch);
            }
        }
    }

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return batch;
        }

        await Task.CompletedTask;
    }
}
