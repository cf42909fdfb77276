using System.Collections.Concurrent;
using System.Globalization;
using Affinsy.Core.Configuration;

namespace Affinsy.Host.Sync;

/// <summary>
/// Whether a completed pass runs its pipeline's reports: not when it sent nothing (<c>reports_when: changed</c>, the
/// default), and with <c>reports_after: { orders: N }</c> at most once per N orders sent, counted across the passes of
/// this process (a worker's repeated schedule catching up a backlog), so the analyses are not recomputed after each.
/// The count lives in memory: a restarted worker starts it again from zero.
/// </summary>
internal sealed class ReportsDue
{
    private readonly ConcurrentDictionary<string, long> _sentSinceReports = new(StringComparer.Ordinal);

    /// <summary>Counts <paramref name="ordersSent"/>; null when the reports are due (and the count starts again), else why not.</summary>
    public string? WhyNot(PipelineConfig pipeline, long ordersSent)
    {
        if (pipeline.ReportsAfterOrders is { } every)
        {
            var sent = _sentSinceReports.AddOrUpdate(pipeline.Name, ordersSent, (_, before) => before + ordersSent);
            if (sent < every)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{sent:N0} orders sent since they last ran, reports_after is {every:N0}");
            }

            _sentSinceReports[pipeline.Name] = 0;
            return null;
        }

        return ordersSent == 0 && pipeline.ReportsWhen == ReportsWhen.Changed
            ? "nothing new was sent, so the results would not change (reports_when: always runs them anyway)"
            : null;
    }
}
