using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Pipeline leases as rows of the state file's <c>leases</c> table (pipeline, holder, since, renewed_at). Taking one
/// is a conditional upsert and a read in one immediate transaction, which SQLite serializes across every process on
/// the file, so of two racing holders exactly one is granted.
/// </summary>
internal sealed class SqlitePipelineLeases : IPipelineLeases, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqlitePipelineLeases(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    public static async Task<SqlitePipelineLeases> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
            CREATE TABLE IF NOT EXISTS leases (
                pipeline   TEXT PRIMARY KEY NOT NULL,
                holder     TEXT NOT NULL,
                since      TEXT NOT NULL,
                renewed_at TEXT NOT NULL
            );
            """, cancellationToken);

        return new SqlitePipelineLeases(connection, time);
    }

    public async Task<LeaseState> AcquireAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var now = _time.GetUtcNow();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Not deferred: BEGIN IMMEDIATE takes the write lock first, so two processes never both read "free".
            await using var transaction = _connection.BeginTransaction(deferred: false);
            await using (var take = Command(transaction, """
                INSERT INTO leases (pipeline, holder, since, renewed_at) VALUES ($pipeline, $holder, $now, $now)
                ON CONFLICT (pipeline) DO UPDATE SET
                    since = CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END,
                    holder = excluded.holder,
                    renewed_at = excluded.renewed_at
                WHERE leases.holder = excluded.holder OR leases.renewed_at < $expired
                """, pipeline, holder, now))
            {
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            var state = await ReadAsync(transaction, pipeline, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return state! with { Granted = state.Holder == holder };
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> RenewAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var renew = Command(null, "UPDATE leases SET renewed_at = $now WHERE pipeline = $pipeline AND holder = $holder", pipeline, holder, _time.GetUtcNow());
            return await renew.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var release = Command(null, "DELETE FROM leases WHERE pipeline = $pipeline AND holder = $holder", pipeline, holder, _time.GetUtcNow());
            await release.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LeaseState?> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ReadAsync(null, pipeline, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, string pipeline, string holder, DateTimeOffset now)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$pipeline", pipeline);
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$now", SqliteTime.Text(now));
        command.Parameters.AddWithValue("$expired", SqliteTime.Text(now - PipelineLeases.ExpiresAfter));
        return command;
    }

    private async Task<LeaseState?> ReadAsync(SqliteTransaction? transaction, string pipeline, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT holder, since, renewed_at FROM leases WHERE pipeline = $pipeline";
        command.Parameters.AddWithValue("$pipeline", pipeline);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LeaseState(false, reader.GetString(0), SqliteTime.Parse(reader.GetString(1)), SqliteTime.Parse(reader.GetString(2)))
            : null;
    }
}
