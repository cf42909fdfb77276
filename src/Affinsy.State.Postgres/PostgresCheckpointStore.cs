using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>Checkpoints in <c>affinsy_checkpoints</c>; each save is one upsert, atomic in PostgreSQL.</summary>
internal sealed class PostgresCheckpointStore(NpgsqlDataSource dataSource, TimeProvider time) : ICheckpointStore
{
    public async Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT value FROM affinsy_checkpoints WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        return await command.ExecuteScalarAsync(cancellationToken) is string value ? new Checkpoint(value) : null;
    }

    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_checkpoints (pipeline, value, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (pipeline) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = checkpoint.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow().ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM affinsy_checkpoints WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT pipeline, value, updated_at FROM affinsy_checkpoints ORDER BY pipeline");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CheckpointEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CheckpointEntry(reader.GetString(0), new Checkpoint(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return entries;
    }
}
