namespace Affinsy.Core.Configuration;

/// <summary>
/// A report's <c>filters: { date_range: ... }</c>: fixed bounds (<c>from</c>, <c>to</c>, inclusive, on <c>order_date</c>)
/// or the last <see cref="LastDays"/> days of the dataset's orders. "Last" counts back from the dataset's newest order
/// date, not from today, as the API's reference date does: a historical export gets its last 90 days, not an empty
/// report.
/// </summary>
/// <param name="From">First day included; null for no lower bound.</param>
/// <param name="To">Last day included; null for no upper bound.</param>
/// <param name="LastDays">Days up to and including the dataset's newest order date; null for fixed bounds.</param>
public sealed record ReportDateRange(DateOnly? From, DateOnly? To, int? LastDays = null)
{
    /// <summary>The bounds to send, given the dataset's newest order date (null when the dataset has none yet).</summary>
    public (DateOnly? Start, DateOnly? End) Resolve(DateOnly? newestOrderDate) =>
        LastDays is { } days
            ? newestOrderDate is { } newest ? (newest.AddDays(1 - days), newest) : (null, null)
            : (From, To);
}
