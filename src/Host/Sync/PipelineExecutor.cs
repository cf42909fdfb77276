using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Sink.Pipelines;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// Runs one sync of a pipeline and records it in the run history (when it starts and when it ends), with
/// the pipeline and run id on every log line of the run. The sync half of <see cref="PipelinePass"/>.
/// </summary>
internal sealed partial class PipelineExecutor(ConnectRuntime runtime)
{
    private readonly ILogger _log = runtime.Loggers.CreateLogger("Affinsy.Worker");

    /// <summary>A short unique id for a run or a scheduled firing.</summary>
    public static string NewRunId() => "run_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Syncs the pipeline once. <paramref name="drain"/> stops it gracefully at a checkpoint;
    /// <paramref name="abort"/> stops it at once; a sync so stopped is recorded as <paramref name="stoppedAs"/>
    /// (<see cref="RunOutcome.Interrupted"/> for a user's Ctrl+C). Never throws for a failed sync: the record says why.
    /// </summary>
    public async Task<(RunRecord Run, SyncResult Result)> SyncAsync(
        PipelineConfig pipeline, string runId, IProgress<SyncProgress>? progress, CancellationToken drain, CancellationToken abort,
        RunOutcome stoppedAs = RunOutcome.Cancelled)
    {
        using var scope = _log.BeginScope(LogScope.OfRun(pipeline.Name, runId));
        var history = runtime.State.History;
        var started = runtime.Time.GetUtcNow();
        var run = new RunRecord(runId, pipeline.Name, runtime.Worker, started, null, RunOutcome.Running, null, 0, 0, 0);
        await history.RecordRunAsync(run, abort);
        LogStarted(_log, pipeline.Name, runId);

        SyncResult result;
        try
        {
            var source = pipeline.CreateSource(runtime.Time, runtime.Loggers, runtime.SourceHttp);
            var sync = new PipelineSync(
                runtime.Sender, runtime.State.Checkpoints, runtime.State.DeadLetters, runtime.Time, runtime.Loggers.CreateLogger<PipelineSync>(),
                pipeline.Ledger ? runtime.State.Ledger : null);
            result = await sync.RunAsync(pipeline.Name, pipeline.DatasetId, source, progress, abort, drain);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A source that cannot even start (bad credentials found at open, a missing file...).
            result = new SyncResult { Pipeline = pipeline.Name, DatasetId = pipeline.DatasetId, Outcome = SyncOutcome.Failed, Error = e.Message, Exception = e };
        }

        var outcome = result.Outcome switch
        {
            SyncOutcome.Completed => RunOutcome.Completed,
            SyncOutcome.Cancelled => stoppedAs,
            _ => RunOutcome.Failed,
        };
        run = run with
        {
            FinishedAt = runtime.Time.GetUtcNow(),
            Outcome = outcome,
            Error = result.Error,
            OrdersRead = result.OrdersRead,
            LineItemsSent = result.LineItemsSent,
            DeadLettered = result.DeadLetteredTotal,
            Skipped = result.Skipped,
        };

        // Recorded even when aborted: the history must not keep a run "running" forever.
        await history.RecordRunAsync(run, CancellationToken.None);
        LogFinished(_log, pipeline.Name, runId, outcome.ToString().ToLowerInvariant(), result.OrdersRead, result.LineItemsSent, result.Skipped.Total, run.DeadLettered, result.Error ?? "");
        return (run, result);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of {Pipeline} started (run {RunId}).")]
    private static partial void LogStarted(ILogger log, string pipeline, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of {Pipeline} {Outcome} (run {RunId}): {OrdersRead} orders read, {LineItemsSent} line items sent, {Skipped} skipped by design, {DeadLettered} dead-lettered. {Error}")]
    private static partial void LogFinished(ILogger log, string pipeline, string runId, string outcome, long ordersRead, long lineItemsSent, long skipped, long deadLettered, string error);
}
