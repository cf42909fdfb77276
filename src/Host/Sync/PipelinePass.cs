using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// One pass of a pipeline, the same for <c>sync</c>, <c>run --once</c>, the scheduled worker and streaming pipelines:
/// take the pipeline's lease (one sync per pipeline; <see cref="PassLease"/>), mark runs whose worker died as abandoned,
/// sync it (recorded in the run history), give the lease up, then, only if the sync completed, its reports. One error rule: a sync that
/// failed, a report that did not complete, or a report request Affinsy or the network refused fails the pass; a sync
/// stopped by a drain is not a failure but triggers no reports. Everything is logged here; callers only present it.
/// </summary>
internal sealed partial class PipelinePass(ConnectRuntime runtime, PipelineExecutor executor)
{
    private readonly ILogger _log = runtime.Loggers.CreateLogger("Affinsy.Worker");
    private readonly ConcurrentDictionary<string, LeaseState> _heldHere = new(StringComparer.Ordinal);
    private readonly ReportsDue _reportsDue = new(runtime.State.ReportCounters, runtime.Loggers.CreateLogger("Affinsy.Worker"));

    /// <summary>
    /// Syncs <paramref name="pipeline"/>, then runs its reports when the sync completed (see <see cref="PassOptions"/>
    /// for handing them off). Never throws for a failed sync or report: the result says what happened. Throws
    /// <see cref="PipelineBusyException"/> when another pass holds the pipeline's lease, unless
    /// <see cref="PassOptions.WaitForLease"/>, which waits for it (until <paramref name="drain"/>).
    /// </summary>
    public async Task<PassResult> RunAsync(
        PipelineConfig pipeline,
        string runId,
        IProgress<SyncProgress>? progress,
        CancellationToken drain,
        CancellationToken abort,
        PassOptions? options = null)
    {
        options ??= PassOptions.Default;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(drain, abort);
        var (run, sync) = await SyncHoldingTheLeaseAsync(pipeline, runId, progress, drain, abort, options, waiting.Token);
        if (run.Outcome != RunOutcome.Completed || pipeline.Reports.Count == 0)
        {
            return new PassResult(run, sync, null);
        }

        if (await _reportsDue.WhyNotAsync(pipeline, sync.OrdersSent, abort) is { } notDue)
        {
            LogReportsNotDue(_log, pipeline.Name, notDue);
            return new PassResult(run, sync, null, notDue);
        }

        if (options.HandOffReports is { } handOffReports)
        {
            await handOffReports(run);
            return new PassResult(run, sync, null);
        }

        return new PassResult(run, sync, await ReportsAsync(pipeline, run.RunId, abort));
    }

    private async Task<(RunRecord Run, SyncResult Sync)> SyncHoldingTheLeaseAsync(
        PipelineConfig pipeline, string runId, IProgress<SyncProgress>? progress, CancellationToken drain, CancellationToken abort,
        PassOptions options, CancellationToken waiting)
    {
        await using var lease = await PassLease.TakeAsync(runtime.State, _heldHere, pipeline.Name, runId, runtime.Time, options.WaitForLease,
            held => LogWaitingForLease(_log, held.DescribeHeld(pipeline.Name)), waiting);

        // Holding the lease, no other pass of this pipeline runs: a run still 'running' whose heartbeat stopped is a dead worker's.
        if (await runtime.State.History.MarkAbandonedAsync(pipeline.Name, runtime.Time.GetUtcNow(), abort) is > 0 and var marked)
        {
            LogAbandoned(_log, pipeline.Name, marked);
        }

        if (options.FullRefresh)
        {
            await DeliveredState.ForgetAsync(runtime.State.Checkpoints, runtime.State.Ledger, pipeline.Name, abort);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort, lease.Lost);
        var result = await executor.SyncAsync(pipeline, runId, progress, drain, stop.Token, options.StoppedAs);
        if (lease.Lost.IsCancellationRequested)
        {
            LogLeaseLost(_log, pipeline.Name);
        }

        return result;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Reports of {Pipeline} not run: {Reason}.")]
    private static partial void LogReportsNotDue(ILogger log, string pipeline, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting: {Held}.")]
    private static partial void LogWaitingForLease(ILogger log, string held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} runs of {Pipeline} abandoned: their worker stopped renewing its lease without ending them.")]
    private static partial void LogAbandoned(ILogger log, string pipeline, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of {Pipeline} stopped: its lease was taken by another pass after this process failed to renew it in time.")]
    private static partial void LogLeaseLost(ILogger log, string pipeline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {Template} of {Pipeline} {Status} ({ReportId}, learnt by {Via}), saved to {SavedTo}.")]
    private static partial void LogReport(ILogger log, string pipeline, string template, string reportId, string status, string via, string savedTo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reports of {Pipeline} failed: {Error}")]
    private static partial void LogReportsFailed(ILogger log, string pipeline, string error);
}

/// <summary>How a pass is run, beyond its pipeline and stop signals.</summary>
internal sealed record PassOptions
{
    public static readonly PassOptions Default = new();

    /// <summary>
    /// Takes the reports instead of running them in the pass (the worker runs them as a job of their own, through
    /// <see cref="PipelinePass.ReportsAsync"/>), so a worker dying after the sync still leaves them to another.
    /// </summary>
    public Func<RunRecord, ValueTask>? HandOffReports { get; init; }

    /// <summary>Wait for the pipeline's lease when another pass holds it (<c>sync --wait</c>), instead of throwing.</summary>
    public bool WaitForLease { get; init; }

    /// <summary>How a sync stopped by the drain signal is recorded (<see cref="RunOutcome.Interrupted"/> for a user's Ctrl+C).</summary>
    public RunOutcome StoppedAs { get; init; } = RunOutcome.Cancelled;

    /// <summary>Forget the checkpoint and the order ledger first (holding the lease, so a running pass's checkpoint is not reset under it).</summary>
    public bool FullRefresh { get; init; }
}

/// <summary>How a pass went: the run as recorded, the sync's counts, and the reports when they ran in the pass.</summary>
/// <param name="Run">The run history record.</param>
/// <param name="Sync">The sync's result.</param>
/// <param name="Reports">The reports, when the sync completed and they ran here; null otherwise.</param>
/// <param name="ReportsNotDue">Why a completed sync ran no reports (nothing new sent, <c>reports_after</c> not reached); null otherwise.</param>
internal sealed record PassResult(RunRecord Run, SyncResult Sync, ReportsOutcome? Reports, string? ReportsNotDue = null)
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
