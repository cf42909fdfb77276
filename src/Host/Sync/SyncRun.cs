using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Affinsy.Host.Sync;

/// <summary>
/// One pass of <c>affinsy-connect sync</c>: each selected pipeline once through one shared sender per
/// Affinsy user, then its report templates if it succeeded (a <see cref="PipelinePass"/> each). Exit code 0 when
/// every pipeline and report completed, 1 when one failed, 3 when a pipeline was being synced by another pass (and
/// none failed), 130 when interrupted (<see cref="SyncInterrupt"/>: the pipeline being synced stops at a checkpoint,
/// the rest are not started).
/// </summary>
internal sealed class SyncRun(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time)
{
    /// <summary>The exit code when another pass holds a pipeline's lease.</summary>
    public const int BusyExitCode = 3;

    public async Task<int> RunAsync(IReadOnlyList<PipelineConfig> pipelines, bool fullRefresh, bool waitForLease, SyncInterrupt interrupt)
    {
        await using var services = ConnectServices.Build(config, loggers, time);
        var runtime = await services.OpenRuntimeAsync(pipelines, interrupt.Drain);
        var pass = services.GetRequiredService<PipelinePass>();
        if (runtime.Endpoint.IsEmbedded)
        {
            AnsiConsole.MarkupLine($"[grey]Affinsy: embedded reference server at {runtime.Endpoint.ApiBase} (data under {Markup.Escape(config.State.Directory)}/embedded)[/]");
        }

        var failed = false;
        var busy = false;
        foreach (var pipeline in pipelines)
        {
            if (interrupt.Requested)
            {
                break;
            }

            try
            {
                failed |= await PassAsync(runtime, pass, pipeline, fullRefresh, waitForLease, interrupt);
            }
            catch (PipelineBusyException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                busy = true;
            }
            catch (OperationCanceledException) when (interrupt.Requested)
            {
                // Interrupted while waiting for the lease (--wait), or past drain_timeout while its reports ran.
                await Console.Error.WriteLineAsync($"Interrupted during {pipeline.Name}; every acknowledged batch is checkpointed, so the next sync resumes where this one stopped.");
            }
        }

        if (File.Exists(Pages.ReportPages.IndexPath(config.OutputDirectory)))
        {
            AnsiConsole.MarkupLine($"Report pages: {Markup.Escape(Pages.ReportPages.IndexPath(config.OutputDirectory))}");
        }

        return interrupt.Requested ? SyncInterrupt.ExitCode : failed ? 1 : busy ? BusyExitCode : 0;
    }

    /// <summary>One pipeline's pass, its summary and reports; true when it failed.</summary>
    private async Task<bool> PassAsync(ConnectRuntime runtime, PipelinePass pass, PipelineConfig pipeline, bool fullRefresh, bool waitForLease, SyncInterrupt interrupt)
    {
        var runId = PipelineExecutor.NewRunId();
        var options = new PassOptions { WaitForLease = waitForLease, StoppedAs = RunOutcome.Interrupted, FullRefresh = fullRefresh };
        var result = await SyncConsole.WithProgressAsync(
            pipeline.Name,
            progress => pass.RunAsync(pipeline, runId, progress, interrupt.Drain, interrupt.Abort, options),
            time);
        SyncConsole.Summary(result.Sync, interrupted: result.Run.Outcome == RunOutcome.Interrupted);
        if (result.Sync.DeadLetteredTotal > 0)
        {
            AnsiConsole.MarkupLine($"[grey]Dead letters (with reasons): {Markup.Escape(runtime.State.DeadLetters.LocationOf(pipeline.Name))}[/]");
        }

        if (result.Run.Outcome == RunOutcome.Interrupted)
        {
            AnsiConsole.MarkupLine("Interrupted: every acknowledged batch is checkpointed, so the next sync resumes where this one stopped.");
        }

        if (result.ReportsNotDue is { } notDue)
        {
            AnsiConsole.MarkupLine($"[grey]Reports not run: {Markup.Escape(notDue)}.[/]");
        }

        foreach (var collected in result.Reports?.Collected ?? [])
        {
            SyncConsole.Report(collected);
        }

        if (result.Reports?.Error is { } error)
        {
            AnsiConsole.MarkupLine($"[red]reports for {Markup.Escape(pipeline.Name)} failed:[/] {Markup.Escape(error)}");
        }

        return result.Failed;
    }
}
