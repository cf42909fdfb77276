using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Core.Configuration;

/// <summary>One validated pipeline: where orders come from, which dataset they feed, what runs after.</summary>
public sealed class PipelineConfig
{
    /// <summary>Unique name, <c>[A-Za-z0-9._-]</c>; keys checkpoints and dead letters.</summary>
    public required string Name { get; init; }

    /// <summary>The Affinsy dataset id (1-128 of <c>[A-Za-z0-9._-]</c>).</summary>
    public required string DatasetId { get; init; }

    /// <summary>The source's <c>type</c>.</summary>
    public required string SourceType { get; init; }

    /// <summary>Quartz cron expression as written; null: on demand only. Checked at load by the validator the host passes.</summary>
    public string? Schedule { get; init; }

    /// <summary>Quartz cron for triggering the reports of a streaming pipeline (which has no end of sync); null: none.</summary>
    public string? ReportSchedule { get; init; }

    /// <summary>
    /// Run the reports at most once per this many orders sent (counted across passes and within a streaming one), so
    /// a backlog caught up in many passes does not re-run them after each; null: after every pass that sent orders.
    /// </summary>
    public long? ReportsAfterOrders { get; init; }

    /// <summary>Whether a pass that sent nothing runs the reports (<c>reports_when</c>, default <see cref="ReportsWhen.Changed"/>).</summary>
    public ReportsWhen ReportsWhen { get; init; } = ReportsWhen.Changed;

    /// <summary>How many results of each report template to keep under <c>out/reports/&lt;pipeline&gt;/</c> (older ones are deleted).</summary>
    public int KeepReports { get; init; } = DefaultKeepReports;

    /// <summary>The default of <see cref="KeepReports"/>.</summary>
    public const int DefaultKeepReports = 20;

    /// <summary>
    /// Whether orders the dataset already holds unchanged are left out (the order ledger, <c>ledger:</c>, default true).
    /// </summary>
    public bool Ledger { get; init; } = true;

    /// <summary>
    /// False (<c>enabled: false</c>): validated, but run only when named (<c>sync NAME</c>, <c>check NAME</c>), never by
    /// a bare <c>sync</c> or a worker; for pipelines kept ready in the file, such as the demo stores.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Reports to trigger after a successful sync.</summary>
    public IReadOnlyList<ReportSettings> Reports { get; init; } = [];

    /// <summary>1-based line of the pipeline in the file.</summary>
    public int Line { get; init; }

    /// <summary>The source factory the plugin bound from the YAML section.</summary>
    public required SourceFactory SourceFactory { get; init; }

    /// <summary>
    /// True when the source never ends on its own (a streaming consumer, see <see cref="BoundSource.IsContinuous"/>):
    /// the worker keeps it running instead of scheduling it.
    /// </summary>
    public bool IsContinuous { get; init; }

    /// <summary>Re-reads the source's dead letters (<see cref="BoundSource.Replayer"/>); null when the source cannot.</summary>
    public RecordReplayerFactory? ReplayerFactory { get; init; }

    /// <summary>The source's dead letters outside the store (<see cref="BoundSource.DeadLetterQueue"/>); null when none.</summary>
    public DeadLetterQueueFactory? DeadLetterQueueFactory { get; init; }

    /// <summary>The configuration's directory, for relative paths.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Creates this pipeline's source; <paramref name="httpClients"/> defaults to <see cref="SourceContext.HttpClients"/>'s default.</summary>
    public IOrderSource CreateSource(TimeProvider timeProvider, ILoggerFactory loggerFactory, ISourceHttpClients? httpClients = null) =>
        SourceFactory(Context(timeProvider, loggerFactory, httpClients));

    /// <summary>Creates this pipeline's re-reader of dead letters, or null when its source has none.</summary>
    public IRecordReplayer? CreateReplayer(TimeProvider timeProvider, ILoggerFactory loggerFactory, ISourceHttpClients? httpClients = null) =>
        ReplayerFactory?.Invoke(Context(timeProvider, loggerFactory, httpClients));

    /// <summary>Creates this pipeline's dead-letter queue, or null when its source delivers none outside the store.</summary>
    public IDeadLetterQueue? CreateDeadLetterQueue(TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        DeadLetterQueueFactory?.Invoke(Context(timeProvider, loggerFactory, null));

    private SourceContext Context(TimeProvider timeProvider, ILoggerFactory loggerFactory, ISourceHttpClients? httpClients)
    {
        var context = new SourceContext(Name, DatasetId, BaseDirectory, timeProvider, loggerFactory);
        return httpClients is null ? context : context with { HttpClients = httpClients };
    }
}

/// <summary>When a completed pass runs its pipeline's reports.</summary>
public enum ReportsWhen
{
    /// <summary>Only when it sent orders: the data changed, so the analyses would.</summary>
    Changed,

    /// <summary>After every completed pass, even one that sent nothing.</summary>
    Always,
}
