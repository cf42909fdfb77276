using Affinsy.Core.Configuration;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Affinsy.Host.Sync;

/// <summary>
/// One pass of <c>affinsy-connect sync</c>: each selected pipeline once through one shared sender per
/// Affinsy user, then its report templates if it succeeded (a <see cref="PipelinePass"/> each). Exit code 0 when
/// every pipeline and report completed, 1 otherwise.
/// </summary>
internal sealed class SyncRun(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time)
{
    public async Task<int> RunAsync(IReadOnlyList<PipelineConfig> pipelines, bool fullRefresh, CancellationToken ct)
    {
        await using var runtime = await ConnectRuntime.OpenAsync(config, pipelines, loggers, time, ct);
        var pass = new PipelinePass(runtime, new PipelineExecutor(runtime));
        if (runtime.Endpoint.IsEmbedded)
        {
            AnsiConsole.MarkupLine($"[grey]Affinsy: embedded reference server at {runtime.Endpoint.ApiBase} (data under {Markup.Escape(config.State.Directory)}/embedded)[/]");
        }

        var failed = false;
        foreach (var pipeline in pipelines)
        {
            if (fullRefresh)
            {
                await runtime.State.Checkpoints.ResetAsync(pipeline.Name, ct);
                await runtime.State.Ledger.ClearAsync(pipeline.Name, ct);
            }

            var runId = PipelineExecutor.NewRunId();
            var result = await SyncConsole.WithProgressAsync(
                pipeline.Name, progress => pass.RunAsync(pipeline, runId, progress, CancellationToken.None, ct), time);
            ct.ThrowIfCancellationRequested();
            SyncConsole.Summary(result.Sync);
            if (result.Sync.DeadLetteredTotal > 0)
            {
                AnsiConsole.MarkupLine($"[grey]Dead letters (with reasons): {Markup.Escape(runtime.State.DeadLetters.LocationOf(pipeline.Name))}[/]");
            }

            foreach (var collected in result.Reports?.Collected ?? [])
            {
                SyncConsole.Report(collected);
            }

            if (result.Reports?.Error is { } error)
            {
                AnsiConsole.MarkupLine($"[red]reports for {Markup.Escape(pipeline.Name)} failed:[/] {Markup.Escape(error)}");
            }

            failed |= result.Failed;
        }

        if (File.Exists(Pages.ReportPages.IndexPath(config.OutputDirectory)))
        {
            AnsiConsole.MarkupLine($"Report pages: {Markup.Escape(Pages.ReportPages.IndexPath(config.OutputDirectory))}");
        }

        return failed ? 1 : 0;
    }
}
