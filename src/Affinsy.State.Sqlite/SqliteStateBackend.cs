using Affinsy.Core.Configuration;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>
/// The state of a worker on one machine: checkpoints and run history in the SQLite file <c>state.path</c>
/// (tables <c>checkpoints</c>, <c>runs</c>, <c>reports</c>, <c>leases</c>, <c>order_ledger</c>, <c>report_counters</c>, <c>replayed_letters</c>), dead letters as JSON Lines beside it
/// (<c>&lt;state dir&gt;/dead-letters/&lt;pipeline&gt;.jsonl</c>). Several processes on the machine may share it.
/// </summary>
public sealed class SqliteStateBackend : IStateBackend
{
    private readonly SqliteCheckpointStore _checkpoints;
    private readonly JsonlDeadLetterStore _deadLetters;
    private readonly SqliteRunHistory _history;
    private readonly SqlitePipelineLeases _leases;
    private readonly SqliteOrderLedger _ledger;
    private SqliteReportCounters? _reportCounters;
    private SqliteReplayedLetters? _replayedLetters;

    private SqliteStateBackend(
        SqliteCheckpointStore checkpoints, JsonlDeadLetterStore deadLetters, SqliteRunHistory history, SqlitePipelineLeases leases, SqliteOrderLedger ledger)
    {
        _ledger = ledger;
        _checkpoints = checkpoints;
        _deadLetters = deadLetters;
        _history = history;
        _leases = leases;
    }

    /// <inheritdoc />
    public ICheckpointStore Checkpoints => _checkpoints;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    public IRunHistory History => _history;

    /// <inheritdoc />
    public IPipelineLeases Leases => _leases;

    /// <inheritdoc />
    public IOrderLedger Ledger => _ledger;

    /// <inheritdoc />
    public IReportCounters ReportCounters => _reportCounters!;

    /// <inheritdoc />
    public IReplayedLetters ReplayedLetters => _replayedLetters!;

    /// <summary>The SQLite file.</summary>
    public string Path => _checkpoints.Path;

    /// <inheritdoc />
    public string Description => $"SQLite file {_checkpoints.Path}";

    /// <summary>Opens (creating the directory, file and tables when missing) the state <paramref name="settings"/> name.</summary>
    /// <exception cref="ArgumentException">The settings name another provider.</exception>
    public static async Task<SqliteStateBackend> OpenAsync(StateSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (settings.Provider != StateProvider.Sqlite)
        {
            throw new ArgumentException($"The state settings name provider '{settings.Provider}', not SQLite; open them with the matching backend.", nameof(settings));
        }

        var checkpoints = await SqliteCheckpointStore.OpenAsync(settings.Path, timeProvider, cancellationToken);
        SqliteRunHistory? history = null;
        SqlitePipelineLeases? leases = null;
        try
        {
            history = await SqliteRunHistory.OpenAsync(settings.Path, cancellationToken);
            leases = await SqlitePipelineLeases.OpenAsync(settings.Path, timeProvider, cancellationToken);
            var ledger = await SqliteOrderLedger.OpenAsync(settings.Path, cancellationToken);
            return new SqliteStateBackend(checkpoints, new JsonlDeadLetterStore(settings.DeadLetterDirectory), history, leases, ledger)
            {
                _reportCounters = await SqliteReportCounters.OpenAsync(settings.Path, cancellationToken),
                _replayedLetters = await SqliteReplayedLetters.OpenAsync(settings.Path, cancellationToken),
            };
        }
        catch
        {
            if (leases is not null)
            {
                await leases.DisposeAsync();
            }

            if (history is not null)
            {
                await history.DisposeAsync();
            }

            await checkpoints.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => _history.PingAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        if (_reportCounters is not null)
        {
            await _reportCounters.DisposeAsync();
        }

        if (_replayedLetters is not null)
        {
            await _replayedLetters.DisposeAsync();
        }

        await _leases.DisposeAsync();
        await _history.DisposeAsync();
        await _checkpoints.DisposeAsync();
        _deadLetters.Dispose();
    }
}
