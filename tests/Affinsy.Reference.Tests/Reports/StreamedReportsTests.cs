using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Reference.Mining;
using Affinsy.Reference.Reports;
using Affinsy.Reference.Reports.Streaming;
using Affinsy.Reference.Storage;
using Affinsy.Reference.Tests.Contract;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.Reference.Tests.Reports;

/// <summary>
/// The streamed reports (integer rows grouped while they stream, RFM folded per customer, scoped MBA in two passes)
/// give byte-identical results to the specification path (<see cref="ReportInput"/> selecting whole orders, then
/// <see cref="RfmReport"/> / <see cref="MbaReport"/> over them), on random stores with every awkward case: rows of one
/// order that disagree on customer and date, orders without customer or date, customers with orders at the same instant.
/// Checked over rows in memory and over the server's SQLite store.
/// </summary>
public sealed class StreamedReportsTests : ServerTestBase
{
    public static TheoryData<string> Requests() =>
    [
        """{"template":"standard_mba","params":{"min_support":0.02}}""",
        """{"template":"standard_mba","params":{"min_support":0.02,"scope":"customer"}}""",
        """{"template":"first_order","params":{"min_support":0.02}}""",
        """{"template":"repeat_purchase","params":{"min_support":0.02,"scope":"customer"}}""",
        """{"template":"high_value_baskets","params":{"min_support":0.02}}""",
        """{"template":"churning_analysis","params":{"min_support":0.02}}""",
        """{"template":"standard_mba","params":{"min_support":0.02},"filters":{"dateRange":{"start":"2024-03-01","end":"2024-09-30"}}}""",
        """{"template":"standard_rfm"}""",
        """{"template":"standard_rfm","params":{"bins":3},"filters":{"dateRange":{"end":"2024-10-31"}}}""",
        """{"template":"new_customer_cohort"}""",
        """{"template":"high_value_baskets","params":{"min_support":0.02,"scope":"customer"},"filters":{"dateRange":{"start":"2024-02-01"}}}""",
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Streamed_results_equal_the_specification_over_memory_and_sqlite(string request)
    {
        using var dir = new TempDirectory();
        var server = await StartAsync(dataDir: dir.Path);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var lines = RandomStore(new Random(seed));
            var dataset = "d" + seed.ToString(CultureInfo.InvariantCulture);
            await server.Store.IngestAsync("local", null, dataset, lines.Select(ToRow).ToList(), TestContext.Current.CancellationToken);
            var report = Report(request, dataset);
            var expected = Specification(report, lines);

            Assert.Equal(expected, Text(ReportEngine.Compute(report, new MemoryReportRows(lines), TestContext.Current.CancellationToken)));
            Assert.Equal(expected, Text(server.Store.WithReportRows("local", dataset, rows => ReportEngine.Compute(report, rows, TestContext.Current.CancellationToken))));
        }
    }

    [Theory]
    [InlineData("""{"template":"standard_rfm"}""")]
    [InlineData("""{"template":"high_value_baskets","params":{"min_support":0.02}}""")]
    public async Task Streamed_spend_equals_decimal_arithmetic_on_awkward_amounts(string request)
    {
        // Many decimals, a third, large amounts near ingest's 1e15 limit per line, and negatives: every spend path.
        double[] prices = [0.1, 19.99, 0.333333333333, 123456.789, 2.5e14, 1e-7, -3.25, 7];
        using var dir = new TempDirectory();
        var server = await StartAsync(dataDir: dir.Path);
        foreach (var seed in new[] { 4, 5 })
        {
            var lines = RandomStore(new Random(seed), prices);
            var dataset = "a" + seed.ToString(CultureInfo.InvariantCulture);
            await server.Store.IngestAsync("local", null, dataset, lines.Select(ToRow).ToList(), TestContext.Current.CancellationToken);
            var report = Report(request, dataset);

            Assert.Equal(Specification(report, lines), Text(server.Store.WithReportRows("local", dataset, rows => ReportEngine.Compute(report, rows, TestContext.Current.CancellationToken))));
        }
    }

    [Fact]
    public void A_report_over_no_rows_is_empty_not_an_error()
    {
        var results = ReportEngine.Compute(Report("""{"template":"standard_rfm"}""", "d"), new MemoryReportRows([]), TestContext.Current.CancellationToken);

        Assert.Equal(0, JsonDocument.Parse(results).RootElement.GetProperty("customers").GetInt32());
    }

    internal static string Specification(StoredReport report, OrderLine[] lines)
    {
        var spec = ReportEngine.StoredSpec(report);
        var selection = ReportInput.Select(spec, lines);
        if (spec.Rfm is { } rfm)
        {
            return Text(RfmReport.SerializeUtf8(RfmReport.Compute(selection, rfm)));
        }

        var p = spec.Mba!;
        return Text(MbaReport.Compute(selection.MbaBaskets(p.Scope), p.MinSupport, p.MinConfidence, p.MaxLen, p.MaxRules, p.MinLift, p.MaxConsequent, CancellationToken.None).ToUtf8Json());
    }

    /// <summary>Results bytes as text, for comparing (and printing) whole documents.</summary>
    internal static string Text(byte[] json) => Encoding.UTF8.GetString(json);

    internal static StoredReport Report(string request, string dataset)
    {
        using var body = JsonDocument.Parse(request.Insert(1, $"\"dataset_id\":\"{dataset}\","));
        var draft = ReportEngine.Parse(body.RootElement).Draft!;
        return new StoredReport
        {
            ReportId = "rep_test", Owner = "local", KeyHash = "k", DatasetId = dataset, ReportType = draft.ReportType,
            Name = draft.Name, Status = ReportStatus.Processing, ParamsJson = draft.ParamsJson, FiltersJson = draft.FiltersJson,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private static IngestRow ToRow(OrderLine l) =>
        new(l.OrderId, l.CustomerId, l.OrderDate?.ToUnixTimeMilliseconds(), l.ProductName, l.UnitPrice, l.Quantity);

    /// <summary>300 orders over 40 customers and 25 products in 2024, Zipf-like product choice; 1 row in 8 disagrees.</summary>
    private static OrderLine[] RandomStore(Random random, double[]? prices = null)
    {
        prices ??= [0.1, 0.2, 1, 2.5, 19.99];
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var lines = new List<OrderLine>();
        for (var o = 0; o < 300; o++)
        {
            var roll = random.Next(100);
            var customer = roll < 7 ? null : "c" + random.Next(40).ToString("D2", CultureInfo.InvariantCulture);
            // Whole days at 10:00, so customers often have two orders at the same instant.
            DateTimeOffset? placed = roll is >= 7 and < 12 ? null : start.AddDays(random.Next(366)).AddHours(10);
            var products = new HashSet<int>();
            var size = 1 + random.Next(4);
            while (products.Count < size)
            {
                products.Add((int)Math.Floor(Math.Pow(25, random.NextDouble())) - 1);
            }

            foreach (var p in products)
            {
                var disagree = random.Next(8) == 0;
                lines.Add(new OrderLine(
                    "o" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + "-" + o.ToString(CultureInfo.InvariantCulture),
                    disagree ? (random.Next(2) == 0 ? null : "c" + random.Next(40).ToString("D2", CultureInfo.InvariantCulture)) : customer,
                    disagree && placed is { } d ? d.AddDays(random.Next(-3, 4)) : placed,
                    "P" + p.ToString("D2", CultureInfo.InvariantCulture),
                    prices[random.Next(prices.Length)],
                    1 + random.Next(3)));
            }
        }

        return [.. lines];
    }
}
