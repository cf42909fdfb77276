using System.Globalization;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// Whether a completed pass runs its pipeline's reports: not when it sent nothing (<c>reports_when: changed</c>, the
/// default), and with <c>reports_after: { orders: N }</c> at most once per N orders sent, counted across passes (a
/// worker's repeated schedule catching up a backlog), so the analyses are not recomputed after each. The count is the
/// state store's (<see cref="IReportCounters"/>): it survives a restart and is shared by the workers of one PostgreSQL.
/// A streaming pipeline's orders are counted by the worker's volume trigger as they are sent, not here.
/// </summary>
internal sealed partial class ReportsDue(IReportCounters counters, ILogger log)
{
    /// <summary>Counts <paramref name="ordersSent"/>; null when the reports are due (the count keeps the remainder), else why not.</summary>
    public async Task<string?> WhyNotAsync(PipelineConfig pipeline, long ordersSent, CancellationToken cancellationToken)
    {
        if (pipeline.ReportsAfterOrders is { } every)
        {
            if (pipeline.IsContinuous)
            {
                // Counted as they are sent by the worker's volume trigger (StreamingPipelines); not twice.
                return null;
            }

            ReportCount count;
            try
            {
                count = await counters.AddAsync(pipeline.Name, ordersSent, every, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Better an extra run of the reports than none: the data did change.
                LogCountFailed(log, pipeline.Name, e.Message);
                return null;
            }

            return count.Due ? null
                : string.Create(CultureInfo.InvariantCulture, $"{count.Sent:N0} orders sent since they last ran, reports_after is {every:N0}");
        }

        return ordersSent == 0 && pipeline.ReportsWhen == ReportsWhen.Changed
            ? "nothing new was sent, so the results would not change (reports_when: always runs them anyway)"
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: could not count the orders for reports_after in the state store ({Error}); its reports run now.")]
    private static partial void LogCountFailed(ILogger log, string pipeline, string error);
}
