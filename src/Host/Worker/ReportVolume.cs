using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Worker;

/// <summary>
/// A streaming pipeline's <c>reports_after.orders</c> trigger: the orders its runs send are added to the state store's
/// count (<see cref="IReportCounters"/>, so a restarted worker goes on from where it was) and the reports fire when it
/// is reached, at most once per N orders. Progress arrives on the pipeline's thread after each acknowledged batch; the
/// store is written off that thread, one write at a time per pipeline, each carrying everything sent since the last,
/// so a fast stream costs a few writes a second, not one per batch.
/// </summary>
internal sealed partial class ReportVolume(string pipeline, long? every, IReportCounters counters, ILogger log)
{
    private long _pending;
    private int _writing;

    /// <summary>The progress to give one run; null when the pipeline has no <c>reports_after</c>.</summary>
    public IProgress<SyncProgress>? ForRun(Action fire)
    {
        if (every is not { } threshold)
        {
            return null;
        }

        long seenInRun = 0;
        return new SynchronousProgress(p =>
        {
            var delta = p.OrdersSent - Interlocked.Exchange(ref seenInRun, p.OrdersSent);
            if (delta > 0)
            {
                Interlocked.Add(ref _pending, delta);
                if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
                {
                    _ = Task.Run(() => WriteAsync(threshold, fire));
                }
            }
        });
    }

    private async Task WriteAsync(long threshold, Action fire)
    {
        while (true)
        {
            var orders = Interlocked.Exchange(ref _pending, 0);
            if (orders > 0)
            {
                try
                {
                    if ((await counters.AddAsync(pipeline, orders, threshold, CancellationToken.None)).Due)
                    {
                        fire();
                    }
                }
                catch (Exception e)
                {
                    // Kept for the next write: the count is late, never lost.
                    Interlocked.Add(ref _pending, orders);
                    LogCountFailed(log, pipeline, e.Message);
                    Volatile.Write(ref _writing, 0);
                    return;
                }

                continue;
            }

            Volatile.Write(ref _writing, 0);

            // An add that arrived after the exchange and saw the writer busy is written by this one.
            if (Volatile.Read(ref _pending) == 0 || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: could not count the orders for reports_after in the state store ({Error}); counted at the next write.")]
    private static partial void LogCountFailed(ILogger log, string pipeline, string error);

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
