namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// Mirrors Shopify's GraphQL cost bucket from the last <c>throttleStatus</c> seen, so a query is only sent when
/// the bucket can afford it: the wait is the time the restore rate needs to cover the shortfall. Asking early
/// would only earn a THROTTLED answer and waste a round trip.
/// </summary>
internal sealed class CostThrottle(TimeProvider time)
{
    // Rounding on either side should not turn a computed wait into a THROTTLED answer.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);
    private readonly Lock sync = new();
    private double available = double.NaN;
    private double maximum;
    private double restoreRate;
    private long observedAt;

    private readonly Dictionary<string, double> requested = new(StringComparer.Ordinal);

    /// <summary>Points the last run of this document asked for, the best guess for the next one (0 when unknown).</summary>
    public double LastRequestedCostOf(string query)
    {
        lock (sync)
        {
            return requested.GetValueOrDefault(query);
        }
    }

    /// <summary>How long to wait before a query requesting <paramref name="cost"/> points can be afforded.</summary>
    public TimeSpan WaitFor(double cost)
    {
        lock (sync)
        {
            if (double.IsNaN(available) || restoreRate <= 0 || cost <= 0)
            {
                return TimeSpan.Zero;
            }

            var projected = Math.Min(maximum, available + (restoreRate * time.GetElapsedTime(observedAt).TotalSeconds));
            var needed = Math.Min(cost, maximum) - projected;
            return needed <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(needed / restoreRate) + Margin;
        }
    }

    /// <summary>Records the bucket as a response to <paramref name="query"/> described it.</summary>
    public void Observe(string query, GqlCost? cost)
    {
        if (cost?.ThrottleStatus is not { } status)
        {
            return;
        }

        lock (sync)
        {
            available = status.CurrentlyAvailable;
            maximum = status.MaximumAvailable;
            restoreRate = status.RestoreRate;
            observedAt = time.GetTimestamp();
            requested[query] = cost.RequestedQueryCost;
        }
    }
}
