using System.Globalization;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Checkpoints in a SQLite file (WAL, synchronous=FULL). Each save is one upsert statement, which
/// SQLite applies atomically and durably, so a crash leaves either the old or the new checkpoint.
/// One connection per store, serialized by a gate; several processes may share the file.
/// </summary>
public sealed class SqliteCheckpointStore : ICheckpointStore, IAsyncDisposable, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteCheckpointStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>The database file.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens (creating the directory, file and table when missing) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteCheckpointStore> OpenAsync(string path, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
            CREATE TABLE IF NOT EXISTS checkpoints (
                pipeline   TEXT PRIMARY KEY NOT NULL,
                value      TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            """, cancellationToken);

        return new SqliteCheckpointStore(connection, timeProvider);
    }

    /// <inheritdoc />
    public async Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM checkpoints WHERE pipeline = $pipeline";
            command.Parameters.AddWithValue("$pipeline", pipeline);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is string text ? new Checkpoint(text) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO checkpoints (pipeline, value, updated_at) VALUES ($pipeline, $value, $at)
                ON CONFLICT (pipeline) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$value", checkpoint.Value);
            command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ResetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM checkpoints WHERE pipeline = $pipeline";
            command.Parameters.AddWithValue("$pipeline", pipeline);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT pipeline, value, updated_at FROM checkpoints ORDER BY pipeline";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var entries = new List<CheckpointEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new CheckpointEntry(
                    reader.GetString(0),
                    new Checkpoint(reader.GetString(1)),
                    DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
            }

            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
