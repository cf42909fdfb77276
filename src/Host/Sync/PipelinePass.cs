using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// One pass of a pipeline, the same for <c>sync</c>, <c>run --once</c>, the scheduled worker and streaming pipelines:
/// sync it (recorded in the run history), then, only if the sync completed, its reports. One error rule: a sync that
/// failed, a report that did not complete, or a report request Affinsy or the network refused fails the pass; a sync
/// stopped by a drain is not a failure but triggers no reports. Everything is logged here; callers only present it.
/// </summary>
internal sealed partial class PipelinePass(ConnectRuntime runtime, PipelineExecutor executor)
{
    private readonly ILogger _log = runtime.Loggers.CreateLogger("Affinsy.Worker");

    /// <summary>
    /// Syncs <paramref name="pipeline"/>, then runs its reports when the sync completed. With
    /// <paramref name="handOffReports"/> the reports are handed to it instead (the worker runs them as a job of their
    /// own, through <see cref="ReportsAsync"/>), so a worker dying after the sync still leaves them to another.
    /// Never throws for a failed sync or report: the result says what happened.
    /// </summary>
    public async Task<PassResult> RunAsync(
        PipelineConfig pipeline,
        string runId,
        IProgress<SyncProgress>? progress,
        CancellationToken drain,
        CancellationToken abort,
        Func<RunRecord, ValueTask>? handOffReports = null)
    {
        var (run, sync) = await executor.SyncAsync(pipeline, runId, progress, drain, abort);
        if (run.Outcome != RunOutcome.Completed || pipeline.Reports.Count == 0)
        {
            return new PassResult(run, sync, null);
        }

        if (handOffReports is not null)
        {
            await handOffReports(run);
            return new PassResult(run, sync, null);
        }

        return new PassResult(run, sync, await ReportsAsync(pipeline, run.RunId, abort));
    }

    /// <summary>Triggers the pipeline's reports and collects them; a failure is in the outcome (and logged), never thrown.</summary>
    public async Task<ReportsOutcome> ReportsAsync(PipelineConfig pipeline, string? runId, CancellationToken ct)
    {
        using var scope = _log.BeginScope(LogScope.OfRun(pipeline.Name, runId));
        try
        {
            var collected = await runtime.Reports.RunAsync(pipeline, runId, ct);
            foreach (var report in collected)
            {
                LogReport(_log, pipeline.Name, report.Template, report.Report.ReportId, report.Report.Status, report.Via, report.SavedTo);
            }

            return new ReportsOutcome(collected, null);
        }
        catch (Exception e) when (e is Sink.Api.AffinsyApiException or UserFacingException or HttpRequestException)
        {
            LogReportsFailed(_log, pipeline.Name, e.Message);
            return new ReportsOutcome([], e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {Template} of {Pipeline} {Status} ({ReportId}, learnt by {Via}), saved to {SavedTo}.")]
    private static partial void LogReport(ILogger log, string pipeline, string template, string reportId, string status, string via, string savedTo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reports of {Pipeline} failed: {Error}")]
    private static partial void LogReportsFailed(ILogger log, string pipeline, string error);
}

/// <summary>How a pass went: the run as recorded, the sync's counts, and the reports when they ran in the pass.</summary>
/// <param name="Run">The run history record.</param>
/// <param name="Sync">The sync's result.</param>
/// <param name="Reports">The reports, when the sync completed and they ran here; null otherwise.</param>
internal sealed record PassResult(RunRecord Run, SyncResult Sync, ReportsOutcome? Reports)
{
    /// <summary>The one failure rule: the sync failed, or a report did.</summary>
    public bool Failed => Run.Outcome == RunOutcome.Failed || Reports is { Failed: true };
}

/// <summary>The reports of one pass.</summary>
/// <param name="Collected">Each report triggered and collected (any status).</param>
/// <param name="Error">Why triggering or collecting stopped (Affinsy refused, the network failed), else null.</param>
internal sealed record ReportsOutcome(IReadOnlyList<CollectedReport> Collected, string? Error)
{
    /// <summary>True when a report could not be run or did not complete.</summary>
    public bool Failed => Error is not null || Collected.Any(c => c.Report.Status != "Completed");
}
