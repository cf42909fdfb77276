using System.Collections.Concurrent;
using Affinsy.Core.Configuration;

namespace Affinsy.Core.State;

/// <summary>PLACEHOLDER until the SQLite run history lands: checkpoints and dead letters on disk, history in memory.</summary>
public sealed class SqliteStateBackend : IStateBackend
{
    private readonly SqliteCheckpointStore _checkpoints;

    private SqliteStateBackend(SqliteCheckpointStore checkpoints, JsonlDeadLetterStore deadLetters)
    {
        _checkpoints = checkpoints;
        DeadLetters = deadLetters;
    }

    /// <inheritdoc />
    public ICheckpointStore Checkpoints => _checkpoints;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; }

    /// <inheritdoc />
    public IRunHistory History { get; } = new MemoryHistory();

    /// <inheritdoc />
    public string Description => _checkpoints.Path;

    /// <summary>Opens the state the settings name.</summary>
    public static async Task<SqliteStateBackend> OpenAsync(StateSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SqliteStateBackend(await SqliteCheckpointStore.OpenAsync(settings.Path, time, cancellationToken), new JsonlDeadLetterStore(settings.DeadLetterDirectory));
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => _checkpoints.ListAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _checkpoints.DisposeAsync();

    private sealed class MemoryHistory : IRunHistory
    {
        private readonly ConcurrentDictionary<string, RunRecord> _runs = new();
        private readonly ConcurrentDictionary<string, ReportRecord> _reports = new();

        public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
        {
            _runs[run.RunId] = run;
            return Task.CompletedTask;
        }

        public Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken)
        {
            _reports[report.ReportId] = report;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Values.GroupBy(r => r.Pipeline).Select(g => g.MaxBy(r => r.StartedAt)!)]);

        public Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ReportRecord>>([.. _reports.Values.GroupBy(r => (r.Pipeline, r.Template)).Select(g => g.MaxBy(r => r.TriggeredAt)!)]);
    }
}
