using Affinsy.Host.Sync;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// A scheduled sync of one pipeline. Never two at once for a pipeline (across a fleet too: the clustered
/// store holds the lock). A <see cref="PipelinePass"/> whose reports are handed to a job of their own
/// (<see cref="ReportJob"/>), so a failed sync triggers none and a worker dying after the sync still leaves the
/// reports to another.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class SyncJob(ConnectRuntime runtime, PipelinePass pass, WorkerLifetime lifetime, ILogger<SyncJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.MergedJobDataMap.GetString(JobKeys.Pipeline);
        var pipeline = runtime.Config.Pipelines.FirstOrDefault(p => p.Name == name);
        if (pipeline is null)
        {
            // Left in a shared job store by a configuration that had this pipeline.
            LogUnknown(log, name ?? "?");
            await context.Scheduler.UnscheduleJob(context.Trigger.Key, CancellationToken.None);
            return;
        }

        if (lifetime.IsDraining)
        {
            LogSkipped(log, pipeline.Name);
            return;
        }

        LogFiring(log, pipeline.Name, context.ScheduledFireTimeUtc?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "now", context.Recovering);
        using var running = lifetime.Enter();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Abort);
        try
        {
            await pass.RunAsync(pipeline, PipelineExecutor.NewRunId(), null, lifetime.Drain, abort.Token, new PassOptions
            {
                HandOffReports = run => context.Scheduler.TriggerJob(JobKeys.Reports(pipeline.Name), new JobDataMap { [JobKeys.RunId] = run.RunId }, CancellationToken.None),
            });
        }
        catch (PipelineBusyException e)
        {
            // Another process (a `sync` by hand, a worker on another store configuration) is syncing it: the next fire tries again.
            LogBusy(log, pipeline.Name, e.HeldBy.DescribeHeld(pipeline.Name));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled sync of {Pipeline} skipped: {Held}; the next fire tries again.")]
    private static partial void LogBusy(ILogger log, string pipeline, string held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A schedule fired for pipeline {Pipeline}, which this configuration does not have or sets enabled: false; the schedule was removed.")]
    private static partial void LogUnknown(ILogger log, string pipeline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled sync of {Pipeline} for {FireTime} (recovering a dead worker's run: {Recovering}).")]
    private static partial void LogFiring(ILogger log, string pipeline, string fireTime, bool recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of {Pipeline} not started: the worker is shutting down.")]
    private static partial void LogSkipped(ILogger log, string pipeline);
}
