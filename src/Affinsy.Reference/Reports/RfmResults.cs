namespace Affinsy.Reference.Reports;

/// <summary>
/// An RFM report's <c>results</c>. Money, averages and amounts are rounded half away from zero to 2 decimals,
/// shares to 4; scores are computed on the unrounded values.
/// </summary>
/// <param name="ReferenceDate">The latest UTC order date after the date filter (null when no order has a date).</param>
/// <param name="Customers">How many customers were scored.</param>
/// <param name="Segments">Segments with at least one customer, in <see cref="RfmSegment"/> order; empty ones are not listed.</param>
/// <param name="CustomerScores">One row per customer, by customer_id (ordinal).</param>
/// <param name="Insights">Plain sentences made from the numbers.</param>
internal sealed record RfmResults(
    DateOnly? ReferenceDate,
    int Customers,
    IReadOnlyList<RfmSegmentSummary> Segments,
    IReadOnlyList<RfmCustomerScore> CustomerScores,
    IReadOnlyList<string> Insights);

/// <summary>One segment's totals.</summary>
internal sealed record RfmSegmentSummary(
    string Segment,
    int Customers,
    decimal Share,
    decimal Revenue,
    decimal AvgRecencyDays,
    decimal AvgFrequency,
    decimal AvgMonetary);

/// <summary>One customer's measures and 1..bins scores.</summary>
internal sealed record RfmCustomerScore(
    string CustomerId,
    int RecencyDays,
    int Frequency,
    decimal Monetary,
    int R,
    int F,
    int M,
    string Segment);
