using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Reference.Reports;
using Xunit;
using static Affinsy.Reference.Tests.Reports.Rows;

namespace Affinsy.Reference.Tests.Reports;

public sealed class RfmReportTests
{
    // The contract's RF map as (segment, R range, F range), written independently of RfmSegmentMap.
    private static readonly (string Segment, int RLow, int RHigh, int FLow, int FHigh)[] ContractMap =
    [
        ("Champions", 5, 5, 4, 5), ("Loyal Customers", 3, 4, 4, 5), ("Potential Loyalists", 4, 5, 2, 3),
        ("New Customers", 5, 5, 1, 1), ("Promising", 4, 4, 1, 1), ("Need Attention", 3, 3, 3, 3),
        ("About To Sleep", 3, 3, 1, 2), ("At Risk", 1, 2, 3, 4), ("Can't Lose Them", 1, 2, 5, 5),
        ("Hibernating", 1, 2, 1, 2),
    ];

    [Fact]
    public void Segment_map_puts_every_cell_of_the_grid_in_exactly_the_contracts_one_segment()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                var matching = ContractMap.Where(s => r >= s.RLow && r <= s.RHigh && f >= s.FLow && f <= s.FHigh).ToList();
                var expected = Assert.Single(matching).Segment;
                Assert.Equal(expected, RfmSegmentMap.Name(RfmSegmentMap.Of(r, f)));
                used.Add(expected);
            }
        }

        Assert.Equal(10, used.Count);
        Assert.Equal(ContractMap.Select(s => s.Segment), RfmSegmentMap.Ordered.Select(RfmSegmentMap.Name));
    }

    [Theory]
    [InlineData(3, new[] { 2, 4, 5 })]
    [InlineData(5, new[] { 1, 2, 3, 4, 5 })]
    [InlineData(10, new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 })]
    public void Scores_are_scaled_to_five_points_by_ceiling(int bins, int[] scaled)
    {
        Assert.Equal(scaled, Enumerable.Range(1, bins).Select(s => RfmSegmentMap.ToFivePointScale(s, bins)));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(3, 2)]
    [InlineData(10, 3)]
    [InlineData(2, 4)]
    public void Scores_match_the_formulas_computed_pairwise_on_random_data(int bins, int seed)
    {
        var lines = RandomLines(new Random(seed), customers: 70, orders: 400);
        var expected = Oracle(lines, bins);

        var results = RfmReport.Compute(ReportInput.Select(lines, null, null, CustomerScope.All), new RfmParams(CustomerScope.All, bins));

        Assert.Equal(expected.Reference, results.ReferenceDate);
        Assert.Equal(expected.Customers.Count, results.Customers);
        Assert.Equal(expected.Customers.Keys.Order(StringComparer.Ordinal), results.CustomerScores.Select(c => c.CustomerId));
        foreach (var score in results.CustomerScores)
        {
            var want = expected.Customers[score.CustomerId];
            Assert.Equal(
                (want.Recency, want.Frequency, decimal.Round(want.Monetary, 2, MidpointRounding.AwayFromZero), want.R, want.F, want.M, want.Segment),
                (score.RecencyDays, score.Frequency, score.Monetary, score.R, score.F, score.M, score.Segment));
        }

        var bySegment = expected.Customers.Values.GroupBy(c => c.Segment).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ContractMap.Select(s => s.Segment).Where(bySegment.ContainsKey), results.Segments.Select(s => s.Segment));
        foreach (var segment in results.Segments)
        {
            var members = bySegment[segment.Segment];
            Assert.Equal(members.Count, segment.Customers);
            Assert.Equal(decimal.Round(members.Sum(c => c.Monetary), 2, MidpointRounding.AwayFromZero), segment.Revenue);
            Assert.Equal(decimal.Round((decimal)members.Count / expected.Customers.Count, 4, MidpointRounding.AwayFromZero), segment.Share);
        }

        Assert.True(results.CustomerScores.Select(c => c.R).Distinct().Count() > 1, "the data should spread the scores");
    }

    [Fact]
    public void A_small_report_serializes_to_the_contract_shape_with_hand_computed_numbers()
    {
        OrderLine[] lines =
        [
            Line("o1", "a", "2025-03-10T08:00:00Z", "A", 50, 2),
            Line("o2", "a", "2025-03-01", "B", 25, 2),
            Line("o3", "b", "2025-03-05", "A", 20, 1),
            Line("o4", "c", "2025-01-09", "B", 10, 2),
            Line("o5", null, "2025-02-01", "B", 999, 1),
            Line("o6", "d", null, "B", 999, 1),
        ];

        var results = RfmReport.Compute(ReportInput.Select(lines, null, null, CustomerScope.All), RfmParams.Default);
        var json = Encoding.UTF8.GetString(RfmReport.SerializeUtf8(results));

        // R: a L=2 -> 1+floor(10/3)=4, b L=1 -> 2, c L=0 -> 1; F and M: a L=2 -> 4, b and c tie at L=0 -> 1.
        const string expected =
            """{"reference_date":"2025-03-10","customers":3,"segments":[""" +
            """{"segment":"Loyal Customers","customers":1,"share":0.3333,"revenue":150,"avg_recency_days":0,"avg_frequency":2,"avg_monetary":150},""" +
            """{"segment":"Hibernating","customers":2,"share":0.6667,"revenue":40,"avg_recency_days":32.5,"avg_frequency":1,"avg_monetary":20}],""" +
            "\"customer_scores\":[" +
            """{"customer_id":"a","recency_days":0,"frequency":2,"monetary":150,"r":4,"f":4,"m":4,"segment":"Loyal Customers"},""" +
            """{"customer_id":"b","recency_days":5,"frequency":1,"monetary":20,"r":2,"f":1,"m":1,"segment":"Hibernating"},""" +
            """{"customer_id":"c","recency_days":60,"frequency":1,"monetary":20,"r":1,"f":1,"m":1,"segment":"Hibernating"}],""" +
            "\"insights\":[";
        Assert.StartsWith(expected, json, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json);
        var insights = document.RootElement.GetProperty("insights").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Equal(3, insights.Count);
        Assert.Equal("The largest segment is Hibernating: 2 of 3 customers (66.7%).", insights[0]);
        Assert.Contains("No customer is a Champion", insights[1], StringComparison.Ordinal);
        Assert.Contains("At Risk and Can't Lose Them are empty", insights[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Insights_name_the_largest_segment_the_champions_revenue_and_the_revenue_slipping_away()
    {
        // Reference 2025-06-03; N = 5, bins 5, so a score is 1 + L.
        // R: now 0 days -> 5, q1 33 -> 4, q2 63 -> 3, q3 94 -> 2, lapsed -> 1. F: now and lapsed 3 orders -> 4, q* -> 1.
        OrderLine[] lines =
        [
            Line("n1", "now", "2025-06-01", "A", 10), Line("n2", "now", "2025-06-02", "A", 10), Line("n3", "now", "2025-06-03", "A", 10),
            Line("l1", "lapsed", "2024-01-01", "A", 30), Line("l2", "lapsed", "2024-01-02", "A", 30), Line("l3", "lapsed", "2024-01-03", "A", 30),
            Line("q1", "q1", "2025-05-01", "A", 5), Line("q2", "q2", "2025-04-01", "A", 5), Line("q3", "q3", "2025-03-01", "A", 5),
        ];

        var results = RfmReport.Compute(ReportInput.Select(lines, null, null, CustomerScope.All), RfmParams.Default);

        Assert.Equal(
            ["lapsed:1:4:At Risk", "now:5:4:Champions", "q1:4:1:Promising", "q2:3:1:About To Sleep", "q3:2:1:Hibernating"],
            results.CustomerScores.Select(c => $"{c.CustomerId}:{c.R}:{c.F}:{c.Segment}"));
        Assert.Equal(
            [
                "The largest segment is Champions: 1 of 5 customers (20.0%).",
                "Champions (1 customer, 20.0% of customers) bring 30.00 of revenue (22.2%).",
                "At Risk (1) and Can't Lose Them (0) hold 1 customer who used to buy often and 90.00 of revenue (66.7%): win-back campaigns are worth most there.",
            ],
            results.Insights);
    }

    [Fact]
    public void No_scorable_customers_gives_an_empty_report_that_says_so()
    {
        OrderLine[] lines = [Line("o1", null, "2025-01-01", "A"), Line("o2", "c", null, "A")];

        var results = RfmReport.Compute(ReportInput.Select(lines, null, null, CustomerScope.All), RfmParams.Default);

        Assert.Equal(Day("2025-01-01"), results.ReferenceDate);
        Assert.Equal(0, results.Customers);
        Assert.Empty(results.Segments);
        Assert.Empty(results.CustomerScores);
        Assert.Equal([RfmInsights.NothingToScore], results.Insights);
        Assert.Contains("\"customers\":0,\"segments\":[],\"customer_scores\":[]", Encoding.UTF8.GetString(RfmReport.SerializeUtf8(results)), StringComparison.Ordinal);
    }

    [Fact]
    public void New_customer_cohort_scores_only_new_customers_against_the_whole_datas_reference_date()
    {
        OrderLine[] lines =
        [
            Line("o1", "old", "2025-01-01", "A"), Line("o2", "old", "2025-07-01", "A"),
            Line("o3", "new", "2025-05-01", "A"), Line("o4", "new", "2025-06-01", "A"),
        ];

        var selection = ReportInput.Select(lines, null, null, CustomerScope.New90d);
        var results = RfmReport.Compute(selection, new RfmParams(CustomerScope.New90d, 5));

        var only = Assert.Single(results.CustomerScores);
        Assert.Equal(("new", 30, 2), (only.CustomerId, only.RecencyDays, only.Frequency));
        Assert.Equal(Day("2025-07-01"), results.ReferenceDate);
    }

    private static OrderLine[] RandomLines(Random random, int customers, int orders)
    {
        double[] prices = [0.5, 1, 2.25, 10, 19.99];
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var lines = new List<OrderLine>();
        for (var o = 0; o < orders; o++)
        {
            var roll = random.Next(100);
            var customer = roll < 8 ? null : "cust-" + random.Next(customers).ToString(CultureInfo.InvariantCulture);
            DateTimeOffset? placed = roll is >= 8 and < 13 ? null : start.AddHours(random.Next(500 * 24));
            var products = random.Next(1, 4);
            for (var p = 0; p < products; p++)
            {
                lines.Add(new OrderLine(
                    "ord-" + o.ToString(CultureInfo.InvariantCulture),
                    customer,
                    placed,
                    "prod-" + p.ToString(CultureInfo.InvariantCulture),
                    prices[random.Next(prices.Length)],
                    random.Next(1, 4)));
            }
        }

        return [.. lines];
    }

    private sealed record Expected(
        int Recency, int Frequency, decimal Monetary, int R, int F, int M, string Segment);

    /// <summary>The contract's formulas, straight: every customer compared with every other.</summary>
    private static (DateOnly Reference, Dictionary<string, Expected> Customers) Oracle(OrderLine[] lines, int bins)
    {
        var dated = lines.Where(l => l.OrderDate is not null).ToList();
        var reference = dated.Max(l => DateOnly.FromDateTime(l.OrderDate!.Value.UtcDateTime));
        var perCustomer = dated
            .Where(l => l.CustomerId is not null)
            .GroupBy(l => l.CustomerId!, StringComparer.Ordinal)
            .Select(g => (
                Id: g.Key,
                Recency: reference.DayNumber - g.Max(l => DateOnly.FromDateTime(l.OrderDate!.Value.UtcDateTime)).DayNumber,
                Frequency: g.Select(l => l.OrderId).Distinct(StringComparer.Ordinal).Count(),
                Monetary: g.Sum(l => (decimal)l.UnitPrice * (decimal)l.Quantity)))
            .ToList();

        var n = perCustomer.Count;
        int Score(int below) => 1 + (bins * below / n);
        int Five(int score) => (int)Math.Ceiling(score * 5.0 / bins);
        string[,] grid =
        {
            // rows R1..R5, columns F1..F5
            { "Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them" },
            { "Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them" },
            { "About To Sleep", "About To Sleep", "Need Attention", "Loyal Customers", "Loyal Customers" },
            { "Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers" },
            { "New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions" },
        };

        var result = new Dictionary<string, Expected>(StringComparer.Ordinal);
        foreach (var c in perCustomer)
        {
            var r = Score(perCustomer.Count(o => o.Recency > c.Recency));
            var f = Score(perCustomer.Count(o => o.Frequency < c.Frequency));
            var m = Score(perCustomer.Count(o => o.Monetary < c.Monetary));
            result[c.Id] = new Expected(c.Recency, c.Frequency, c.Monetary, r, f, m, grid[Five(r) - 1, Five(f) - 1]);
        }

        return (reference, result);
    }
}
