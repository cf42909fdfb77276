using System.Diagnostics;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// Runs pipelines: source -> bounded channel -> packer -> the user's shared <see cref="AffinsySender"/> ->
/// ordered acknowledgements -> checkpoint. One instance can run many syncs, one after another or at once.
/// </summary>
public sealed class PipelineSync
{
    private readonly AffinsySender sender;
    private readonly ICheckpointStore checkpoints;
    private readonly IDeadLetterStore deadLetters;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IOrderLedger? ledger;

    /// <param name="ledger">When given, orders the dataset already holds unchanged are not sent again (see <see cref="IOrderLedger"/>).</param>
    public PipelineSync(
        AffinsySender sender,
        ICheckpointStore checkpoints,
        IDeadLetterStore deadLetters,
        TimeProvider? time = null,
        ILogger? logger = null,
        IOrderLedger? ledger = null)
    {
        this.ledger = ledger;
        this.sender = sender ?? throw new ArgumentNullException(nameof(sender));
        this.checkpoints = checkpoints ?? throw new ArgumentNullException(nameof(checkpoints));
        this.deadLetters = deadLetters ?? throw new ArgumentNullException(nameof(deadLetters));
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Reads <paramref name="source"/> from the pipeline's checkpoint and pushes everything to
    /// <paramref name="datasetId"/>. Never throws for a failed or cancelled sync: the result says how it ended,
    /// and the checkpoint store holds the last batch that was fully acknowledged.
    /// </summary>
    /// <param name="pipeline">The pipeline's name (keys its checkpoint and dead letters).</param>
    /// <param name="datasetId">The Affinsy dataset.</param>
    /// <param name="source">Where orders come from.</param>
    /// <param name="progress">Told after each acknowledgement.</param>
    /// <param name="cancellationToken">Stops at once: requests in flight are abandoned (they are sent again next time).</param>
    /// <param name="drain">
    /// Stops gracefully: nothing more is read or started; the source batch being sent is finished, so its
    /// checkpoint is saved, and batches queued behind it are left for the next run (they were never
    /// acknowledged). The result is then <see cref="SyncOutcome.Cancelled"/>.
    /// </param>
    public async Task<SyncResult> RunAsync(
        string pipeline,
        string datasetId,
        IOrderSource source,
        IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken,
        CancellationToken drain = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        ArgumentNullException.ThrowIfNull(source);
        var runLedger = ledger is null ? null : new RunLedger(ledger, pipeline, datasetId, logger);
        var run = new PipelineRun(pipeline, datasetId, sender, checkpoints, deadLetters, time, logger, progress, runLedger);

        // Current while the run goes on, so every ingest request of the sync is a child span of it.
        using var span = AffinsyTracing.Source.StartActivity(AffinsyTracing.SyncSpan);
        span?.SetTag(AffinsyTracing.PipelineTag, pipeline).SetTag(AffinsyTracing.DatasetTag, datasetId);
        var result = await run.RunAsync(source, cancellationToken, drain);
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        AffinsyMetrics.RecordSyncDuration(pipeline, outcome, result.Elapsed);
        Describe(span, outcome, result);
        LogResult(result);
        return result;
    }

    /// <summary>
    /// The sync's counts on its span. A failure is marked with its exception type only: the message is for the
    /// redacting logger, and a span goes to a collector that logger does not guard.
    /// </summary>
    private static void Describe(Activity? span, string outcome, SyncResult result)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(AffinsyTracing.OutcomeTag, outcome)
            .SetTag("affinsy.orders.read", result.OrdersRead)
            .SetTag("affinsy.orders.unchanged", result.OrdersUnchanged)
            .SetTag("affinsy.orders.sent", result.OrdersSent)
            .SetTag("affinsy.line_items.sent", result.LineItemsSent)
            .SetTag("affinsy.dead_letters", result.DeadLetteredTotal)
            .SetTag("affinsy.requests", result.Requests)
            .SetTag("affinsy.retries", result.Retries)
            .SetTag("affinsy.throttled", result.Throttled)
            .SetTag("affinsy.line_items.applied_unanswered", result.LineItemsAppliedUnanswered);
        if (result.Outcome == SyncOutcome.Failed)
        {
            span.SetTag("error.type", result.Exception?.GetType().FullName ?? "failed").SetStatus(ActivityStatusCode.Error);
        }
    }

    private void LogResult(SyncResult result)
    {
        foreach (var warning in result.Warnings)
        {
            logger.LogWarning("Pipeline {Pipeline}: Affinsy warned: {Warning}", result.Pipeline, warning);
        }

        if (result.Outcome == SyncOutcome.Failed)
        {
            logger.LogError(result.Exception, "Pipeline {Pipeline} failed: {Error}", result.Pipeline, result.Error);
        }

        logger.LogInformation(
            "Pipeline {Pipeline} {Outcome} in {Elapsed}: {OrdersRead} orders read, {OrdersUnchanged} unchanged (not sent again), {OrdersSent} sent ({LineItemsSent} line items) in {Requests} requests, "
            + "{Skipped} skipped by design ({SkippedReasons}), {Refused} refused by the source, {DeadLettered} refused by Affinsy, inserted {Inserted}, updated {Updated}, rejected by plan cap {Rejected}, "
            + "{Retries} retries, {Throttled} 429s, {ServerErrors} 5xx, {AppliedUnanswered} requests applied but answered 504 ({LineItemsUnanswered} line items, not counted as inserted or updated).",
            result.Pipeline, result.Outcome, result.Elapsed, result.OrdersRead, result.OrdersUnchanged, result.OrdersSent, result.LineItemsSent, result.Requests,
            result.Skipped.Total, result.Skipped.ToString(), result.OrdersRefused, result.OrdersDeadLettered, result.Inserted, result.Updated, result.Rejected,
            result.Retries, result.Throttled, result.ServerErrors, result.AppliedUnanswered, result.LineItemsAppliedUnanswered);
    }
}
