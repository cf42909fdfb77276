using System.CommandLine;
using System.Runtime.InteropServices;
using Affinsy.Host.Sync;
using Affinsy.Host.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect run [--once]</c>: the worker a team deploys.</summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create()
    {
        var config = ConfigFile.Option();
        var once = new Option<bool>("--once") { Description = "Run every scheduled pipeline once (sync, then its reports) and exit: 0 when all succeeded." };
        var command = new Command(Name, "Run the worker: every pipeline on its schedule, streaming pipelines continuously, reports after each sync; /healthz, /readyz and /metrics on worker.listen; SIGTERM drains.")
        {
            config, once,
        };
        command.SetAction(async (parse, _) =>
        {
            if (ConfigFile.Load(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            using var loggers = Logging.Create(loaded, quietOnTerminal: false);

            // A worker never runs a pipeline set `enabled: false`; one it scheduled before finds its trigger unscheduled by SyncJob.
            var worker = loaded with { Pipelines = loaded.EnabledPipelines };
            try
            {
                return parse.GetValue(once)
                    ? await RunOnceAsync(worker, loggers)
                    : await WorkerHost.RunAsync(worker, loggers, TimeProvider.System);
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
        });
        return command;
    }

    /// <summary>
    /// Every scheduled (not streaming) pipeline once, in file order; SIGTERM drains as the worker does. A pipeline another
    /// process is syncing is skipped (exit 3 when nothing failed).
    /// </summary>
    private static async Task<int> RunOnceAsync(Core.Configuration.ConnectorsConfig config, ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger("Affinsy.Worker");
        var time = TimeProvider.System;
        var scheduled = config.Pipelines.Where(p => p.Schedule is not null && !p.IsContinuous).ToList();
        if (scheduled.Count == 0)
        {
            await Console.Error.WriteLineAsync($"No pipeline in {config.FileName} has a schedule (streaming pipelines are not run by --once); `affinsy-connect sync` runs pipelines on demand.");
            return 0;
        }

        using var lifetime = new WorkerLifetime();
        using var draining = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = lifetime.DrainAsync(config.Worker.DrainTimeout, TimeSpan.FromSeconds(10), time);
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using var services = ConnectServices.Build(config, loggers, time);
        await services.OpenRuntimeAsync(scheduled, lifetime.Abort);
        var pass = services.GetRequiredService<PipelinePass>();
        var failed = false;
        var busy = false;
        foreach (var pipeline in scheduled)
        {
            if (lifetime.IsDraining)
            {
                break;
            }

            using var running = lifetime.Enter();
            try
            {
                var result = await pass.RunAsync(pipeline, PipelineExecutor.NewRunId(), null, lifetime.Drain, lifetime.Abort);
                failed |= result.Failed;
            }
            catch (PipelineBusyException e)
            {
                log.LogWarning("Sync of {Pipeline} skipped: {Held}.", pipeline.Name, e.HeldBy.DescribeHeld(pipeline.Name));
                busy = true;
            }
        }

        log.LogInformation("run --once finished: {Outcome}.", failed ? "some pipelines failed" : busy ? "some pipelines were being synced by another process" : "every pipeline succeeded");
        return failed ? 1 : busy ? SyncRun.BusyExitCode : 0;
    }
}
