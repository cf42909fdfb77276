using Affinsy.Reference.Reports;
using Xunit;
using static Affinsy.Reference.Tests.Reports.Rows;

namespace Affinsy.Reference.Tests.Reports;

public sealed class ReportInputTests
{
    // Reference date 2025-07-01 (o7, o10). Spend per customer: c1 30, c2 100, c3 100, c4 2, c5 1, c6 5, c7 500.
    // Days from each date to 2025-07-01: 01-01 181, 01-02 180, 04-01 91, 04-02 90, 04-03 89, 06-01 30.
    private static readonly OrderLine[] Dataset =
    [
        Line("o1", "c1", "2025-01-01", "A", 10, 1),
        Line("o1", "c1", "2025-01-01", "B", 5, 2),
        Line("o2", "c1", "2025-06-01", "A", 10, 1),
        Line("o3", "c2", "2025-01-02", "C", 100, 1),
        // c3's two orders share one instant: o4 is first by order_id, whatever the row order.
        Line("o4b", "c3", "2025-01-01T10:00:00Z", "B", 25, 2),
        Line("o4", "c3", "2025-01-01T10:00:00Z", "A", 50, 1),
        Line("o6", "c4", "2025-04-02", "D", 1, 1),
        Line("o7", "c4", "2025-07-01T23:30:00Z", "A", 1, 1),
        Line("o8", "c5", "2025-04-01", "D", 1, 1),
        Line("o9", "c6", "2025-04-03", "E", 2.5, 2),
        Line("o10", null, "2025-07-01", "A", 1, 1),
        Line("o10", null, "2025-07-01", "B", 1, 1),
        Line("o11", null, null, "A", 1, 1),
        Line("o12", "c7", null, "F", 500, 1),
    ];

    private static string[] Select(CustomerScope scope) => Ids(ReportInput.Select(Dataset, null, null, scope));

    [Fact]
    public void Reference_date_is_the_latest_order_date_in_the_data()
    {
        Assert.Equal(Day("2025-07-01"), ReportInput.Select(Dataset, null, null, CustomerScope.All).ReferenceDate);
    }

    [Fact]
    public void Reference_date_is_taken_after_the_date_filter()
    {
        var selection = ReportInput.Select(Dataset, null, Day("2025-06-30"), CustomerScope.All);

        Assert.Equal(Day("2025-06-01"), selection.ReferenceDate);
    }

    [Fact]
    public void All_keeps_every_order_including_those_without_customer_or_date()
    {
        Assert.Equal(
            Ordinal("o1", "o2", "o3", "o4", "o4b", "o6", "o7", "o8", "o9", "o10", "o11", "o12"),
            Select(CustomerScope.All));
    }

    [Fact]
    public void First_order_is_each_customers_earliest_dated_order_with_ties_broken_by_order_id()
    {
        // c7 has only an undated order, which cannot be placed first; o10/o11 have no customer.
        Assert.Equal(Ordinal("o1", "o3", "o4", "o6", "o8", "o9"), Select(CustomerScope.FirstOrder));
    }

    [Fact]
    public void Repeat_is_every_dated_order_after_each_customers_first()
    {
        Assert.Equal(Ordinal("o2", "o4b", "o7"), Select(CustomerScope.Repeat));
    }

    [Fact]
    public void High_value_takes_ceil_of_a_fifth_of_customers_and_keeps_ties_at_the_cut()
    {
        // 7 customers -> ceil(7/5) = 2 places; the 2nd highest spend is 100, shared by c2 and c3, so both are in.
        Assert.Equal(Ordinal("o3", "o4", "o4b", "o12"), Select(CustomerScope.HighValue));
    }

    [Fact]
    public void High_value_with_exactly_five_customers_takes_one()
    {
        OrderLine[] lines =
        [
            Line("a", "c1", "2025-01-01", "X", 5), Line("b", "c2", "2025-01-01", "X", 4),
            Line("c", "c3", "2025-01-01", "X", 3), Line("d", "c4", "2025-01-01", "X", 2),
            Line("e", "c5", "2025-01-01", "X", 1), Line("f", null, "2025-01-01", "X", 99),
        ];

        Assert.Equal(["a"], Ids(ReportInput.Select(lines, null, null, CustomerScope.HighValue)));
    }

    [Fact]
    public void High_value_spend_is_exact_so_sums_that_tie_in_decimal_are_tied()
    {
        // 0.1 + 0.2 != 0.3 in double; in decimal they tie, so both customers are at the single cut.
        OrderLine[] lines =
        [
            Line("a", "c1", "2025-01-01", "X", 0.1), Line("b", "c1", "2025-01-01", "Y", 0.2),
            Line("c", "c2", "2025-01-01", "X", 0.3), Line("d", "c3", "2025-01-01", "X", 0.01),
        ];

        Assert.Equal(["a", "b", "c"], Ids(ReportInput.Select(lines, null, null, CustomerScope.HighValue)));
    }

    [Fact]
    public void Churning_needs_more_than_180_days_since_the_latest_order()
    {
        // c3's latest is 181 days back (in); c2's is exactly 180 (out).
        Assert.Equal(Ordinal("o4", "o4b"), Select(CustomerScope.Churning));
    }

    [Fact]
    public void New_90d_includes_a_first_order_exactly_90_days_back_with_all_its_orders()
    {
        // c4 first ordered 90 days back (in, with its later o7), c6 89 days (in), c5 91 days (out).
        Assert.Equal(Ordinal("o6", "o7", "o9"), Select(CustomerScope.New90d));
    }

    [Fact]
    public void Date_filter_is_inclusive_at_both_ends_and_drops_undated_orders()
    {
        OrderLine[] lines =
        [
            Line("before", "c", "2025-03-31T23:59:59Z", "X"),
            Line("start", "c", "2025-04-01T00:00:00Z", "X"),
            Line("middle", "c", "2025-04-15", "X"),
            Line("end", "c", "2025-04-30T23:59:59Z", "X"),
            Line("after", "c", "2025-05-01T00:00:00Z", "X"),
            Line("undated", "c", null, "X"),
        ];

        var selection = ReportInput.Select(lines, Day("2025-04-01"), Day("2025-04-30"), CustomerScope.All);

        Assert.Equal(Ordinal("start", "middle", "end"), Ids(selection));
        Assert.Equal(Day("2025-04-30"), selection.ReferenceDate);
        Assert.Equal(Ordinal("start", "middle", "end", "after"), Ids(ReportInput.Select(lines, Day("2025-04-01"), null, CustomerScope.All)));
        Assert.Equal(Ordinal("before", "start", "middle", "end"), Ids(ReportInput.Select(lines, null, Day("2025-04-30"), CustomerScope.All)));
        Assert.Contains("undated", Ids(ReportInput.Select(lines, null, null, CustomerScope.All)));
    }

    [Fact]
    public void Date_filter_uses_the_utc_date_of_an_offset_timestamp()
    {
        // 23:30 at -02:00 on March 31 is 01:30 UTC on April 1.
        OrderLine[] lines = [Line("late", "c", "2025-03-31T23:30:00-02:00", "X")];

        Assert.Equal(["late"], Ids(ReportInput.Select(lines, Day("2025-04-01"), Day("2025-04-01"), CustomerScope.All)));
        Assert.Empty(ReportInput.Select(lines, null, Day("2025-03-31"), CustomerScope.All).Orders);
    }

    [Fact]
    public void Select_with_a_spec_applies_its_dates_and_scope()
    {
        var spec = Parse("""{"dataset_id":"d","template":"churning_analysis","filters":{"dateRange":{"end":"2025-06-30"}}}""");

        var selection = ReportInput.Select(spec, Dataset);

        // Reference now 2025-06-01: c3's 01-01 is 151 days back, so nobody has churned.
        Assert.Equal(Day("2025-06-01"), selection.ReferenceDate);
        Assert.Empty(selection.Orders);
    }

    [Fact]
    public void Order_baskets_are_the_distinct_products_of_each_order()
    {
        OrderLine[] lines =
        [
            Line("o1", "c1", "2025-01-01", "B"), Line("o1", "c1", "2025-01-01", "A"),
            Line("o2", "c1", "2025-01-02", "C"), Line("o3", null, "2025-01-02", "A"),
        ];

        var baskets = ReportInput.Select(lines, null, null, CustomerScope.All).MbaBaskets(BasketScope.Order).ToList();

        Assert.Equal([["A", "B"], ["C"], ["A"]], baskets.Select(b => b.ToArray()));
    }

    [Fact]
    public void Customer_baskets_join_each_customers_products_and_skip_orders_without_a_customer()
    {
        OrderLine[] lines =
        [
            Line("o1", "c2", "2025-01-01", "B"), Line("o1", "c2", "2025-01-01", "A"),
            Line("o2", "c2", "2025-01-02", "A"), Line("o2", "c2", "2025-01-02", "C"),
            Line("o3", "c1", "2025-01-02", "D"), Line("o4", null, "2025-01-02", "E"),
        ];

        var baskets = ReportInput.Select(lines, null, null, CustomerScope.All).MbaBaskets(BasketScope.Customer).ToList();

        Assert.Equal([["D"], ["A", "B", "C"]], baskets.Select(b => b.ToArray()));
    }

    [Fact]
    public void Rows_of_one_order_that_disagree_resolve_the_same_whatever_their_order()
    {
        OrderLine[] lines =
        [
            Line("o1", "c2", "2025-01-01", "B", 2, 1),
            Line("o1", null, "2025-01-03", "A", 1, 3),
            Line("o1", "c1", null, "C", 4, 1),
        ];

        foreach (var ordering in new[] { lines, lines.Reverse().ToArray() })
        {
            var order = Assert.Single(ReportInput.Select(ordering, null, null, CustomerScope.All).Orders);
            Assert.Equal(("c1", Day("2025-01-03"), 9m), (order.CustomerId, order.Date, order.Spend));
            Assert.Equal(["A", "B", "C"], order.Products);
        }
    }

    [Fact]
    public void Spend_too_large_to_total_fails_with_the_order_id_only_when_spend_is_needed()
    {
        OrderLine[] lines = [Line("huge", "c1", "2025-01-01", "X", 1e300), Line("small", "c2", "2025-01-01", "X")];

        Assert.Equal(2, ReportInput.Select(lines, null, null, CustomerScope.All).Orders.Count);
        var error = Assert.Throws<ReportDataException>(
            () => ReportInput.Select(lines, null, null, CustomerScope.HighValue));
        Assert.Contains("'huge'", error.Message, StringComparison.Ordinal);
    }

    private static ReportSpec Parse(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var result = ReportRequestParser.Parse(document.RootElement);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Spec;
    }
}
