using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// <see cref="IReplayedLetters"/> as rows of the state file's <c>replayed_letters</c> table (pipeline, letter id, when),
/// shared by the processes on the file: a batch is read with one query and recorded in one transaction
/// (<c>INSERT OR IGNORE</c>, so a recorded id keeps its first time).
/// </summary>
internal sealed class SqliteReplayedLetters : IReplayedLetters, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteReplayedLetters(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteReplayedLetters> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
            CREATE TABLE IF NOT EXISTS replayed_letters (
                pipeline    TEXT NOT NULL,
                letter_id   TEXT NOT NULL,
                replayed_at TEXT NOT NULL,
                PRIMARY KEY (pipeline, letter_id)
            ) WITHOUT ROWID;
            """, cancellationToken);

        return new SqliteReplayedLetters(connection);
    }

    public async Task<IReadOnlySet<string>> WhichReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // The ids travel as one JSON array, so a batch is one statement whatever its size.
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT letter_id FROM replayed_letters WHERE pipeline = $pipeline AND letter_id IN (SELECT value FROM json_each($ids))";
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids.ToArray(), ReplayedJsonContext.Default.StringArray));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(reader.GetString(0));
            }

            return found;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RecordReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR IGNORE INTO replayed_letters (pipeline, letter_id, replayed_at)
                SELECT $pipeline, value, $at FROM json_each($ids)
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids.ToArray(), ReplayedJsonContext.Default.StringArray));
            command.Parameters.AddWithValue("$at", SqliteTime.Text(at));
            await command.ExecuteNonQueryAsync(cancellationToken);
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
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ReplayedJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
