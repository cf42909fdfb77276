using System.Globalization;
using Affinsy.Reference.Reports;
using Affinsy.Reference.Reports.Streaming;
using Affinsy.Reference.Storage;
using Affinsy.Testing;
using CsCheck;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Affinsy.Reference.Tests.Reports;

/// <summary>
/// <c>order_facts</c>, the per-order summary that RFM and the customer pass of scoped MBA read instead of the line
/// items, stays exactly what grouping the line items gives, under any sequence of upserts (lines changing price,
/// quantity, customer or date; new lines on old orders; the plan cap's row-by-row path) and dataset deletions, and after
/// migrating a store written without it. Checked two ways: order by order against a scan of the stored line items, and
/// report by report against the specification path over the rows the sequence should have left.
/// </summary>
public sealed class OrderFactsTests
{
    private static readonly long Day0 = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // Ordinal order differs from the order keys are created in; "B" < "a1" < "b" ordinally.
    private static readonly string[] CustomerIds = ["b", "a1", "zz", "B"];

    // Awkward amounts: more decimals than a long total keeps (1e-7), a third, large, negative, and both zeros.
    private static readonly double[] Prices = [0.1, 19.99, 0.333333333333, 2.5e14, 1e-7, -3.25, 7, 0.0, -0.0];

    private static readonly string[] Requests =
    [
        """{"template":"standard_rfm"}""",
        """{"template":"standard_rfm","params":{"bins":3},"filters":{"dateRange":{"end":"2024-03-04"}}}""",
        """{"template":"new_customer_cohort"}""",
        """{"template":"high_value_baskets","params":{"min_support":0.1}}""",
        """{"template":"first_order","params":{"min_support":0.1}}""",
    ];

    private static readonly Gen<IngestRow> Row = Gen.Select(
        Gen.Int[0, 7], Gen.Int[0, 4], Gen.Int[-1, CustomerIds.Length - 1], Gen.Int[-1, 4], Gen.Int[0, Prices.Length - 1], Gen.Int[1, 3],
        (o, p, c, d, price, q) => new IngestRow(
            "o" + o.ToString(CultureInfo.InvariantCulture),
            c < 0 ? null : CustomerIds[c],
            d < 0 ? null : Day0 + (d * 86_400_000L),
            "P" + p.ToString(CultureInfo.InvariantCulture),
            Prices[price],
            q));

    /// <summary>A step: delete the dataset, or upsert rows (row by row near the plan cap when <c>Capped</c>).</summary>
    private static readonly Gen<(bool Delete, bool Capped, IngestRow[] Rows)> Step =
        Gen.Select(Gen.Int[0, 9], Gen.Bool, Row.Array[1, 12], (roll, capped, rows) => (roll == 0, capped, rows));

    private static int _owners;

    [Fact]
    public void Facts_equal_the_line_items_after_any_upserts_and_deletions() => Run(150);

    [Fact(Explicit = true)]
    [Trait("Category", "Fuzz")]
    public void Facts_equal_the_line_items_after_any_upserts_and_deletions_at_length() => Run(5_000);

    [Fact]
    public async Task A_version_2_store_gets_its_order_facts_at_open()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        var rows = Enumerable.Range(0, 50).Select(_ => new IngestRow(
            "o" + random.Next(20).ToString(CultureInfo.InvariantCulture),
            random.Next(5) == 0 ? null : CustomerIds[random.Next(CustomerIds.Length)],
            random.Next(5) == 0 ? null : Day0 + (random.Next(5) * 86_400_000L),
            "P" + random.Next(5).ToString(CultureInfo.InvariantCulture),
            Prices[random.Next(Prices.Length)],
            1 + random.Next(3))).ToArray();
        var model = new Dictionary<(string, string), IngestRow>();
        using (var store = ReferenceStore.Open(dir.Path, TimeProvider.System))
        {
            await store.IngestAsync("local", null, "d", Last(rows, model), TestContext.Current.CancellationToken);
        }

        // A version 2 file is this schema without order_facts.
        using (var c = new SqliteConnection($"Data Source={dir.File("reference.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DROP TABLE order_facts; PRAGMA user_version = 2;";
            cmd.ExecuteNonQuery();
        }

        using (var store = ReferenceStore.Open(dir.Path, TimeProvider.System))
        {
            Check(store, "local", model);
            await store.IngestAsync("local", null, "d", Last(rows[..10].Select(r => r with { CustomerId = "a0", Quantity = 5 }).ToArray(), model), TestContext.Current.CancellationToken);
            Check(store, "local", model);
        }
    }

    private static void Run(int cases)
    {
        using var dir = new TempDirectory();
        using var store = ReferenceStore.Open(dir.Path, TimeProvider.System);
        Step.Array[1, 8].Sample(steps =>
        {
            var owner = "owner" + Interlocked.Increment(ref _owners).ToString(CultureInfo.InvariantCulture);
            var model = new Dictionary<(string, string), IngestRow>();
            foreach (var (delete, capped, batch) in steps)
            {
                if (delete)
                {
                    store.DeleteDatasetAsync(owner, "d", CancellationToken.None).GetAwaiter().GetResult();
                    model.Clear();
                    continue;
                }

                var stored = model.Count;
                var rows = Last(batch, model);
                // A cap that admits exactly the new rows: with any update among them the store goes row by row.
                long? cap = capped ? model.Count : null;
                var outcome = store.IngestAsync(owner, cap, "d", rows, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal((model.Count - stored, 0L), (outcome.Inserted, outcome.Rejected));
            }

            Check(store, owner, model);
        }, iter: cases, threads: 1);
    }

    /// <summary>The batch as a request carries it (the last row of a repeated pair), applied to the model.</summary>
    private static List<IngestRow> Last(IngestRow[] batch, Dictionary<(string, string), IngestRow> model)
    {
        var rows = new Dictionary<(string, string), IngestRow>();
        foreach (var row in batch)
        {
            rows[(row.OrderId, row.ProductName)] = row;
            model[(row.OrderId, row.ProductName)] = row;
        }

        return [.. rows.Values];
    }

    private static void Check(ReferenceStore store, string owner, Dictionary<(string, string), IngestRow> model)
    {
        if (model.Count == 0)
        {
            return;
        }

        var (summary, lines) = store.WithReportRows(owner, "d", rows =>
        {
            var all = RowFields.CustomerAndDate | RowFields.Amounts;
            return (Facts(rows, all | RowFields.NoProducts), Facts(rows, all));
        });
        Assert.Equal(lines, summary);
        Assert.Equal(model.Keys.Select(k => k.Item1).Distinct().Count(), summary.Count);

        var expected = model.Values.Select(r => new OrderLine(
            r.OrderId, r.CustomerId, r.OrderDateUnixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, r.ProductName, r.UnitPrice, r.Quantity)).ToArray();
        foreach (var request in Requests)
        {
            var report = StreamedReportsTests.Report(request, "d") with { Owner = owner };
            Assert.Equal(
                StreamedReportsTests.Specification(report, expected),
                StreamedReportsTests.Text(store.WithReportRows(owner, "d", rows => ReportEngine.Compute(report, rows, CancellationToken.None))));
        }
    }

    private static List<string> Facts(IReportRows rows, RowFields fields)
    {
        var recorder = new Recorder(rows);
        rows.Scan(fields, recorder, CancellationToken.None);
        return recorder.Orders;
    }

    /// <summary>Each order's facts as text: the spend with its scale (decimal equality would ignore trailing zeros).</summary>
    private sealed class Recorder(IReportRows rows) : IOrderVisitor
    {
        public List<string> Orders { get; } = [];

        public void Order(in OrderFacts order, ReadOnlySpan<int> products) => Orders.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"{rows.OrderId(order.Key)} {(order.Customer < 0 ? "-" : rows.CustomerId(order.Customer))} {order.PlacedMs} {(order.SpendOverflowed ? "overflow" : order.Spend.Value.ToString(CultureInfo.InvariantCulture))}"));
    }
}
