using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>
/// The RFM report: per customer recency (whole days from its latest order date to the reference date),
/// frequency (distinct orders) and monetary (total spend), scored 1..bins and mapped to segments.
/// Only orders with both a customer_id and an order_date count.
/// </summary>
internal static class RfmReport
{
    internal static RfmResults Compute(ReportSelection selection, RfmParams parameters)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(parameters);
        return Compute(selection.Orders, selection.ReferenceDate, parameters.Bins);
    }

    /// <param name="orders">The selected orders (already date-filtered and scoped).</param>
    /// <param name="referenceDate">From the data after the date filter; required when any order counts.</param>
    /// <param name="bins">Scores run 1..bins.</param>
    internal static RfmResults Compute(IReadOnlyList<SelectedOrder> orders, DateOnly? referenceDate, int bins)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);

        return Score(Measure(orders), referenceDate, bins);
    }

    /// <param name="measures">One per scored customer, in ordinal order of customer id.</param>
    internal static RfmResults Score(List<CustomerMeasure> measures, DateOnly? referenceDate, int bins)
    {
        if (measures.Count == 0)
        {
            return new RfmResults(referenceDate, 0, [], [], [RfmInsights.NothingToScore]);
        }

        if (referenceDate is not { } reference)
        {
            throw new ArgumentException("Orders with dates need a reference date.", nameof(referenceDate));
        }

        var recency = measures.Select(m => reference.DayNumber - m.Latest.DayNumber).ToArray();
        var r = RfmScoring.Descending(recency, bins);
        var f = RfmScoring.Ascending(measures.Select(m => m.Orders).ToArray(), bins);
        var m = RfmScoring.Ascending(measures.Select(x => x.Spend).ToArray(), bins);

        var scores = new RfmCustomerScore[measures.Count];
        var segments = new RfmSegment[measures.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            segments[i] = RfmSegmentMap.Of(
                RfmSegmentMap.ToFivePointScale(r[i], bins), RfmSegmentMap.ToFivePointScale(f[i], bins));
            scores[i] = new RfmCustomerScore(
                measures[i].CustomerId,
                recency[i],
                measures[i].Orders,
                Money(measures[i].Spend),
                r[i],
                f[i],
                m[i],
                RfmSegmentMap.Name(segments[i]));
        }

        var summaries = Summarize(measures, recency, segments);
        var totalRevenue = measures.Sum(x => x.Spend);
        return new RfmResults(
            reference,
            measures.Count,
            summaries,
            scores,
            RfmInsights.From(summaries, measures.Count, Money(totalRevenue)));
    }

    /// <summary>The <c>results</c> JSON of an RFM report (snake_case), as UTF-8 bytes.</summary>
    internal static byte[] SerializeUtf8(RfmResults results) =>
        JsonSerializer.SerializeToUtf8Bytes(results, ReportJsonContext.Default.RfmResults);

    private static List<CustomerMeasure> Measure(IReadOnlyList<SelectedOrder> orders)
    {
        var byCustomer = new Dictionary<string, CustomerMeasure>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (order is not { CustomerId: { } customer, Date: { } date })
            {
                continue;
            }

            // Orders arrive once each (built by order id), so counting them counts distinct orders.
            byCustomer[customer] = byCustomer.TryGetValue(customer, out var seen)
                ? seen with
                {
                    Latest = date > seen.Latest ? date : seen.Latest,
                    Orders = seen.Orders + 1,
                    Spend = seen.Spend + order.Spend,
                }
                : new CustomerMeasure(customer, date, 1, order.Spend);
        }

        var measures = byCustomer.Values.ToList();
        measures.Sort(static (a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId));
        return measures;
    }

    private static List<RfmSegmentSummary> Summarize(
        List<CustomerMeasure> measures, int[] recency, RfmSegment[] segments)
    {
        var count = new int[RfmSegmentMap.Ordered.Count];
        var revenue = new decimal[count.Length];
        var recencyDays = new long[count.Length];
        var orders = new long[count.Length];
        for (var i = 0; i < measures.Count; i++)
        {
            var s = (int)segments[i];
            count[s]++;
            revenue[s] += measures[i].Spend;
            recencyDays[s] += recency[i];
            orders[s] += measures[i].Orders;
        }

        var summaries = new List<RfmSegmentSummary>();
        foreach (var segment in RfmSegmentMap.Ordered)
        {
            var s = (int)segment;
            if (count[s] == 0)
            {
                continue;
            }

            summaries.Add(new RfmSegmentSummary(
                RfmSegmentMap.Name(segment),
                count[s],
                Round((decimal)count[s] / measures.Count, 4),
                Money(revenue[s]),
                Round((decimal)recencyDays[s] / count[s], 2),
                Round((decimal)orders[s] / count[s], 2),
                Money(revenue[s] / count[s])));
        }

        return summaries;
    }

    private static decimal Money(decimal amount) => Round(amount, 2);

    private static decimal Round(decimal value, int decimals) =>
        decimal.Round(value, decimals, MidpointRounding.AwayFromZero);

    internal readonly record struct CustomerMeasure(string CustomerId, DateOnly Latest, int Orders, decimal Spend);
}
