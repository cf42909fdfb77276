using Affinsy.Host.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// Registered last so that it stops first: on SIGTERM it puts the scheduler in standby (nothing new fires),
/// lets running syncs reach a checkpoint within <c>worker.drain_timeout</c> (streaming consumers flush and
/// commit), cancels what is left, and only then lets Quartz and the rest shut down.
/// </summary>
internal sealed partial class DrainService(
    ISchedulerFactory schedulers, WorkerLifetime lifetime, ConnectRuntime runtime, ILogger<DrainService> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var timeout = runtime.Config.Worker.DrainTimeout;
        LogDraining(log, lifetime.Running, timeout.TotalSeconds);
        var scheduler = await schedulers.GetScheduler(CancellationToken.None);
        await scheduler.Standby(CancellationToken.None);
        if (await lifetime.DrainAsync(timeout, TimeSpan.FromSeconds(10), runtime.Time))
        {
            LogDrained(log);
        }
        else
        {
            LogNotDrained(log, lifetime.Running);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: no new runs; {Running} running get {Seconds} s to reach a checkpoint.")]
    private static partial void LogDraining(ILogger log, int running, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: every run stopped at a checkpoint.")]
    private static partial void LogDrained(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Running} runs did not stop in time after cancellation; their next run resumes from the last checkpoint.")]
    private static partial void LogNotDrained(ILogger log, int running);
}
