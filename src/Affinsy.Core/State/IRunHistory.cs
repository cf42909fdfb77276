using Affinsy.Core.Sources;

namespace Affinsy.Core.State;

/// <summary>
/// What the worker did and when: each sync run and each report it triggered, so that
/// <c>affinsy-connect status</c> (on any worker of a fleet) can say how every pipeline stands.
/// </summary>
public interface IRunHistory
{
    /// <summary>Inserts or replaces the run with <see cref="RunRecord.RunId"/> (a run is written when it starts and again when it ends).</summary>
    Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the report with <see cref="ReportRecord.ReportId"/>.</summary>
    Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken);

    /// <summary>The latest run of each pipeline (by start time).</summary>
    Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken);

    /// <summary>The latest report of each pipeline and template (by trigger time).</summary>
    Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken);

    /// <summary>The last <paramref name="count"/> runs of the pipeline (of every pipeline when null), newest first.</summary>
    Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken);

    /// <summary>Records that the running run is alive at <paramref name="at"/> (the pass calls it when it renews its lease).</summary>
    Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the pipeline's runs still <see cref="RunOutcome.Running"/> whose last heartbeat (or start, when they never
    /// beat) is older than <see cref="PipelineLeases.ExpiresAfter"/> before <paramref name="now"/> as
    /// <see cref="RunOutcome.Abandoned"/>: their lease has expired, so their worker is gone. They end at their last
    /// heartbeat. Returns how many were marked.
    /// </summary>
    Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>How a run ended; <see cref="Running"/> while it has not.</summary>
public enum RunOutcome
{
    /// <summary>Started, not finished (or its worker died: see <see cref="RunRecord.Worker"/>).</summary>
    Running,

    /// <summary>Every batch acknowledged and checkpointed.</summary>
    Completed,

    /// <summary>Stopped by an error; <see cref="RunRecord.Error"/> says why.</summary>
    Failed,

    /// <summary>Stopped on request (shutdown) at a checkpoint.</summary>
    Cancelled,

    /// <summary>Stopped by the user (Ctrl+C, SIGTERM to <c>sync</c>) after saving the checkpoint of what was acknowledged.</summary>
    Interrupted,

    /// <summary>Its worker died while it ran (no heartbeat within the lease's expiry); it ended at <see cref="RunRecord.HeartbeatAt"/>.</summary>
    Abandoned,
}

/// <summary>One sync run of a pipeline.</summary>
/// <param name="RunId">Unique id of the run (also in every log line of the run).</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Worker">The worker (host name and process id) that ran it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended; null while running.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">Why it failed, in words a user can act on; never holds a secret.</param>
/// <param name="OrdersRead">Orders read from the source.</param>
/// <param name="LineItemsSent">Line items acknowledged by Affinsy.</param>
/// <param name="DeadLettered">Orders that went to the dead-letter store.</param>
/// <param name="HeartbeatAt">When the running run last said it was alive; null before its first heartbeat.</param>
/// <param name="Skipped">Orders left out by design (cancelled, test...), by reason; null or empty when none. Not dead letters.</param>
public sealed record RunRecord(
    string RunId,
    string Pipeline,
    string Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunOutcome Outcome,
    string? Error,
    long OrdersRead,
    long LineItemsSent,
    long DeadLettered,
    DateTimeOffset? HeartbeatAt = null,
    SkipCounts? Skipped = null)
{
    /// <summary>How the run id of a <c>dead-letters replay</c> starts.</summary>
    public const string ReplayIdPrefix = "replay_";

    /// <summary>
    /// <c>sync</c>, or <c>replay</c> for a <c>dead-letters replay</c> (whose counts are the letters read, the line items
    /// sent and the letters still failing). Told by the run id, so the history's schema is the same for both.
    /// </summary>
    public string Kind => RunId.StartsWith(ReplayIdPrefix, StringComparison.Ordinal) ? "replay" : "sync";
}

/// <summary>One report triggered for a pipeline.</summary>
/// <param name="ReportId">Affinsy's report id.</param>
/// <param name="Pipeline">The pipeline whose data it covers.</param>
/// <param name="Template">The template (<c>standard_mba</c>...).</param>
/// <param name="RunId">The sync run that triggered it; null when triggered by a schedule or by volume.</param>
/// <param name="TriggeredAt">When it was created.</param>
/// <param name="FinishedAt">When its result was collected; null while waiting.</param>
/// <param name="Status">Affinsy's status (<c>Processing</c>, <c>Completed</c>, <c>Failed</c>).</param>
/// <param name="SavedTo">Where the result was saved, once collected.</param>
public sealed record ReportRecord(
    string ReportId,
    string Pipeline,
    string Template,
    string? RunId,
    DateTimeOffset TriggeredAt,
    DateTimeOffset? FinishedAt,
    string Status,
    string? SavedTo);
