using Affinsy.Core.Configuration;
using Affinsy.Host.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// Puts each pipeline's jobs and triggers in the scheduler at start. A trigger already stored with the same
/// cron is kept (so a fleet of workers starting together, or a restart, does not move its next firing);
/// a changed cron replaces it. Missed firings after downtime run once, not once per missed slot.
/// </summary>
internal sealed partial class ScheduleRegistration(
    ISchedulerFactory schedulers, ConnectRuntime runtime, IReadOnlySet<string> continuous, ILogger<ScheduleRegistration> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var pipeline in runtime.Config.Pipelines)
        {
            if (pipeline.Reports.Count > 0)
            {
                await scheduler.AddJob(Job<ReportJob>(JobKeys.Reports(pipeline.Name), pipeline, recover: false), AddJobOptions.Replacing, cancellationToken);
                if (pipeline.ReportSchedule is { } reportCron)
                {
                    await EnsureTriggerAsync(scheduler, JobKeys.ReportSchedule(pipeline.Name), JobKeys.Reports(pipeline.Name), reportCron, cancellationToken);
                }
            }

            if (pipeline.Schedule is not { } cron)
            {
                continue;
            }

            if (continuous.Contains(pipeline.Name))
            {
                LogScheduleIgnored(log, pipeline.Name);
                continue;
            }

            await scheduler.AddJob(Job<SyncJob>(JobKeys.Sync(pipeline.Name), pipeline, recover: true), AddJobOptions.Replacing, cancellationToken);
            var next = await EnsureTriggerAsync(scheduler, JobKeys.SyncSchedule(pipeline.Name), JobKeys.Sync(pipeline.Name), cron, cancellationToken);
            LogScheduled(log, pipeline.Name, cron, next?.ToString("u") ?? "never");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IJobDetail Job<T>(JobKey key, PipelineConfig pipeline, bool recover)
        where T : IJob =>
        JobBuilder.Create<T>()
            .WithIdentity(key)
            .WithDescription($"{typeof(T).Name} of pipeline {pipeline.Name}")
            .StoreDurably(true)
            .RequestRecovery(recover) // a worker that dies mid-sync: another runs it again from the checkpoint
            .UsingJobData(JobKeys.Pipeline, pipeline.Name)
            .Build();

    private async Task<DateTimeOffset?> EnsureTriggerAsync(IScheduler scheduler, TriggerKey key, JobKey job, string cron, CancellationToken ct)
    {
        var existing = await scheduler.GetTrigger(key, ct);
        if (existing is ICronTrigger stored && stored.CronExpressionString == cron)
        {
            return stored.NextFireTimeUtc;
        }

        var trigger = CronTrigger(key, job, cron, runtime.Time);
        await scheduler.ScheduleTrigger(trigger, existing is null ? TriggerConflict.Keep : TriggerConflict.Replace, ct);
        return trigger.GetFireTimeAfter(runtime.Time.GetUtcNow());
    }

    /// <summary>
    /// A pipeline's cron trigger. A slot missed by more than a second (downtime, or a sync still running) is a
    /// misfire, and a misfire fires once now and then waits for the next future slot: never a burst of catch-up runs.
    /// </summary>
    internal static ITrigger CronTrigger(TriggerKey key, JobKey job, string cron, TimeProvider time) =>
        TriggerBuilder.Create(time)
            .WithIdentity(key)
            .ForJob(job)
            .WithMisfireThreshold(TimeSpan.FromSeconds(1))
            .WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} scheduled on \"{Cron}\"; next run {Next}.")]
    private static partial void LogScheduled(ILogger log, string pipeline, string cron, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline} streams continuously, so its schedule is ignored; use report_schedule or reports_after for its reports.")]
    private static partial void LogScheduleIgnored(ILogger log, string pipeline);
}
