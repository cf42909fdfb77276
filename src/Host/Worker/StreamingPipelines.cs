using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Sync;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// Keeps each streaming pipeline (a source that never ends, such as a Kafka consumer) running for the life
/// of the worker: restarted with backoff when it fails, drained on shutdown (flush, checkpoint, commit), and
/// its reports triggered every <c>reports_after.orders</c> orders sent (<see cref="ReportVolume"/>).
/// </summary>
internal sealed partial class StreamingPipelines(
    ConnectRuntime runtime, PipelinePass pass, WorkerLifetime lifetime, ISchedulerFactory schedulers,
    IReadOnlySet<string> continuous, ILogger<StreamingPipelines> log) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly PassOptions StreamOptions = new() { HandOffReports = _ => ValueTask.CompletedTask };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(runtime.Config.Pipelines.Where(p => continuous.Contains(p.Name)).Select(p => KeepRunningAsync(p)));

    private async Task KeepRunningAsync(PipelineConfig pipeline)
    {
        var backoff = FirstBackoff;
        var volume = new ReportVolume(pipeline.Name, pipeline.ReportsAfterOrders, runtime.State.ReportCounters, log);
        while (!lifetime.IsDraining)
        {
            RunRecord run;
            using (lifetime.Enter())
            {
                // A stream ends only by a drain or a failure, so its reports come by volume or schedule, not after it.
                var runVolume = volume.ForRun(() => TriggerReports(pipeline));
                try
                {
                    run = (await pass.RunAsync(pipeline, PipelineExecutor.NewRunId(), runVolume, lifetime.Drain, lifetime.Abort, StreamOptions)).Run;
                }
                catch (PipelineBusyException e)
                {
                    // Another process streams it (or a `sync` by hand runs it): try again after the backoff, as after a failure.
                    run = new RunRecord("", pipeline.Name, runtime.Worker, runtime.Time.GetUtcNow(), null, RunOutcome.Failed, e.Message, 0, 0, 0);
                }
            }

            if (lifetime.IsDraining)
            {
                return;
            }

            if (run.Outcome == RunOutcome.Failed)
            {
                LogRestarting(log, pipeline.Name, backoff.TotalSeconds, run.Error ?? "");
                try
                {
                    await Task.Delay(backoff, runtime.Time, lifetime.Drain);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            else
            {
                backoff = FirstBackoff;
            }
        }
    }

    private void TriggerReports(PipelineConfig pipeline) =>
        _ = Task.Run(async () =>
        {
            try
            {
                var scheduler = await schedulers.GetScheduler(CancellationToken.None);
                await scheduler.TriggerJob(JobKeys.Reports(pipeline.Name), new JobDataMap(), CancellationToken.None);
            }
            catch (SchedulerException e)
            {
                LogTriggerFailed(log, pipeline.Name, e.Message);
            }
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Streaming pipeline {Pipeline} stopped: {Error}. Restarting in {Seconds} s from its checkpoint.")]
    private static partial void LogRestarting(ILogger log, string pipeline, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not trigger the reports of {Pipeline}: {Error}")]
    private static partial void LogTriggerFailed(ILogger log, string pipeline, string error);
}
