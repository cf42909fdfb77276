using Affinsy.Core.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Worker;

/// <summary>
/// Marks the runs a dead process left <c>running</c> as <c>abandoned</c> every lease expiry, for every pipeline, so the
/// status page, <c>/api/status</c> and the metrics of a worker that is idle (or a fleet member that never runs that
/// pipeline) stop showing a dead run as running. A pass, <c>status</c> and <c>runs</c> already do it when they start;
/// this is for the time between. Safe without the lease: only runs whose heartbeat stopped for longer than the lease's
/// expiry are marked, and a live run renews its heartbeat well within it.
/// </summary>
internal sealed partial class AbandonedRunSweep(IReadOnlyList<string> pipelines, IRunHistory history, TimeProvider time, ILogger log) : BackgroundService
{
    /// <summary>Started with the worker, not with <see cref="ExecuteAsync"/>, which may begin later on another thread.</summary>
    private readonly PeriodicTimer timer = new(PipelineLeases.ExpiresAfter, time);

    /// <summary>Sweeps every pipeline once; returns how many runs were marked.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var marked = 0;
        foreach (var pipeline in pipelines)
        {
            if (await history.MarkAbandonedAsync(pipeline, time.GetUtcNow(), cancellationToken) is > 0 and var count)
            {
                LogAbandoned(log, count, pipeline);
                marked += count;
            }
        }

        return marked;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (StateStoreUnavailableException e)
                {
                    // The readiness check reports an unreachable store; the next tick tries again.
                    LogSweepFailed(log, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The worker is stopping.
        }
    }

    public override void Dispose()
    {
        timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} run(s) of {Pipeline} abandoned: their worker stopped renewing its heartbeat.")]
    private static partial void LogAbandoned(ILogger log, int count, string pipeline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sweep abandoned runs: {Error}")]
    private static partial void LogSweepFailed(ILogger log, string error);
}
