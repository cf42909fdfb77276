using System.Globalization;

namespace Affinsy.Reference.Reports;

/// <summary>Plain sentences from an RFM report's numbers: the biggest group, the best, and the ones to win back.</summary>
internal static class RfmInsights
{
    internal const string NothingToScore =
        "No orders with both a customer_id and an order_date were selected, so there are no customers to score.";

    internal static IReadOnlyList<string> From(IReadOnlyList<RfmSegmentSummary> segments, int customers, decimal revenue)
    {
        var insights = new List<string>(3);

        // Segments come in the fixed order, so the first of equally large ones wins the tie.
        var largest = segments[0];
        foreach (var segment in segments)
        {
            if (segment.Customers > largest.Customers)
            {
                largest = segment;
            }
        }

        insights.Add(Text(
            $"The largest segment is {largest.Segment}: {largest.Customers} of {customers} customers ({Percent(largest.Share)})."));

        var champions = Find(segments, RfmSegment.Champions);
        insights.Add(champions is null
            ? "No customer is a Champion yet (recent and frequent: R5 with F4-5)."
            : Text($"Champions ({Count(champions.Customers)}, {Percent(champions.Share)} of customers) bring {champions.Revenue:0.00} of revenue ({Percent(Share(champions.Revenue, revenue))})."));

        var atRisk = Find(segments, RfmSegment.AtRisk);
        var cantLose = Find(segments, RfmSegment.CantLoseThem);
        var slipping = (atRisk?.Customers ?? 0) + (cantLose?.Customers ?? 0);
        var slippingRevenue = (atRisk?.Revenue ?? 0m) + (cantLose?.Revenue ?? 0m);
        insights.Add(slipping == 0
            ? "No frequent buyers are slipping away: At Risk and Can't Lose Them are empty."
            : Text($"At Risk ({atRisk?.Customers ?? 0}) and Can't Lose Them ({cantLose?.Customers ?? 0}) hold {Count(slipping)} who used to buy often and {slippingRevenue:0.00} of revenue ({Percent(Share(slippingRevenue, revenue))}): win-back campaigns are worth most there."));

        return insights;
    }

    private static RfmSegmentSummary? Find(IReadOnlyList<RfmSegmentSummary> segments, RfmSegment segment)
    {
        var name = RfmSegmentMap.Name(segment);
        return segments.FirstOrDefault(s => s.Segment == name);
    }

    private static string Count(int customers) =>
        customers == 1 ? "1 customer" : customers.ToString(CultureInfo.InvariantCulture) + " customers";

    private static decimal Share(decimal part, decimal whole) => whole == 0m ? 0m : part / whole;

    private static string Percent(decimal share) =>
        (decimal.Round(share * 100m, 1, MidpointRounding.AwayFromZero)).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Text(FormattableString sentence) => sentence.ToString(CultureInfo.InvariantCulture);
}
