using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// The state of a fleet of workers in one PostgreSQL database: checkpoints, dead letters, run and report history, the order ledger, replayed
/// letters (tables <c>affinsy_*</c>), beside the tables of Quartz's clustered job store (<c>qrtz_*</c>). Connections come
/// from one pooled <see cref="NpgsqlDataSource"/>; every store is safe to use from many threads and many workers.
/// </summary>
public sealed class PostgresStateBackend : IStateBackend
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLocation _location;
    private readonly PostgresDeadLetterStore _deadLetters;

    private PostgresStateBackend(NpgsqlDataSource dataSource, PostgresLocation location, TimeProvider time)
    {
        _dataSource = dataSource;
        _location = location;
        Checkpoints = new PostgresCheckpointStore(dataSource, time);
        _deadLetters = new PostgresDeadLetterStore(dataSource, location);
        History = new PostgresRunHistory(dataSource);
        Leases = new PostgresPipelineLeases(dataSource, time);
        Ledger = new PostgresOrderLedger(dataSource);
        ReportCounters = new PostgresReportCounters(dataSource);
        ReplayedLetters = new PostgresReplayedLetters(dataSource);
    }

    /// <inheritdoc />
    public ICheckpointStore Checkpoints { get; }

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    public IRunHistory History { get; }

    /// <inheritdoc />
    public IPipelineLeases Leases { get; }

    /// <inheritdoc />
    public IOrderLedger Ledger { get; }

    /// <inheritdoc />
    public IReportCounters ReportCounters { get; }

    /// <inheritdoc />
    public IReplayedLetters ReplayedLetters { get; }

    /// <inheritdoc />
    public string Description => $"PostgreSQL {_location.Host}:{_location.Port}, database '{_location.Database}'";

    /// <summary>
    /// Connects to the database <paramref name="connectionString"/> names and creates the state tables and Quartz's
    /// tables when missing (safe when several workers start at once).
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is malformed (the message never quotes it).</exception>
    /// <exception cref="StateStoreUnavailableException">The server is unreachable, refuses the login, or lacks the database.</exception>
    public static async Task<PostgresStateBackend> OpenAsync(string connectionString, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var builder = PostgresLocation.Parse(connectionString);
        var location = PostgresLocation.Of(builder);
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString) { Name = "affinsy-state" }.Build();
        try
        {
            await StateSchema.EnsureAsync(dataSource, cancellationToken);
        }
        catch (Exception e)
        {
            await dataSource.DisposeAsync();
            if (PostgresFailure.Explain(e, location) is { } explained)
            {
                throw explained;
            }

            throw;
        }

        return new PostgresStateBackend(dataSource, location, timeProvider);
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1 FROM affinsy_checkpoints LIMIT 0");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresFailure.Explain(e, _location) is { } explained)
        {
            throw explained;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
