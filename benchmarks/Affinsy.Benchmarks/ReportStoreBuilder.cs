using System.Globalization;
using Affinsy.Reference;
using Affinsy.Reference.Storage;

namespace Affinsy.Benchmarks;

/// <summary>
/// Fills a reference server's dataset with a realistic store, straight through the store's ingest path (the same
/// upsert the ingest endpoint runs, without HTTP and JSON, which the report benchmark does not measure): product
/// popularity Zipf(1) over 5,000 products, 50,000 customers chosen uniformly, order dates uniform over 2025, 1-5
/// distinct products per order (3 on average). Deterministic for a seed.
/// </summary>
internal static class ReportStoreBuilder
{
    public const int Products = 5_000;
    public const int Customers = 50_000;
    private const int BatchLineItems = 10_000;

    /// <summary>Stores about <paramref name="lineItems"/> rows (whole orders) and returns how many were stored.</summary>
    public static async Task<long> BuildAsync(ReferenceServer server, string datasetId, long lineItems, int seed)
    {
        var random = new Random(seed);
        var cumulative = ZipfCumulative(Products);
        var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        const long yearMs = 365L * 24 * 3600 * 1000;
        var batch = new List<IngestRow>(BatchLineItems + 8);
        var chosen = new HashSet<int>();
        long stored = 0, order = 0;
        while (stored + batch.Count < lineItems)
        {
            var orderId = "ord-" + order++.ToString("D8", CultureInfo.InvariantCulture);
            var customer = "cust-" + random.Next(Customers).ToString("D5", CultureInfo.InvariantCulture);
            var placed = yearStart + (long)(random.NextDouble() * yearMs);
            var size = Math.Min(1 + random.Next(5), (int)(lineItems - stored - batch.Count));
            chosen.Clear();
            while (chosen.Count < size)
            {
                chosen.Add(Sample(cumulative, random.NextDouble()));
            }

            foreach (var product in chosen)
            {
                var name = "Product " + product.ToString("D4", CultureInfo.InvariantCulture);
                var price = 1 + (product % 97);
                batch.Add(new IngestRow(orderId, customer, placed, name, price, 1 + random.Next(3)));
            }

            if (batch.Count >= BatchLineItems - 5)
            {
                stored += (await server.Store.IngestAsync("local", null, datasetId, batch, CancellationToken.None).ConfigureAwait(false)).Inserted;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            stored += (await server.Store.IngestAsync("local", null, datasetId, batch, CancellationToken.None).ConfigureAwait(false)).Inserted;
        }

        return stored;
    }

    private static double[] ZipfCumulative(int n)
    {
        var cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            cumulative[k] /= sum;
        }

        return cumulative;
    }

    private static int Sample(double[] cumulative, double u)
    {
        var i = Array.BinarySearch(cumulative, u);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }
}
