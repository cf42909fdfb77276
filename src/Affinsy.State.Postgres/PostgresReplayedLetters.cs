using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// <see cref="IReplayedLetters"/> as rows of <c>affinsy_replayed_letters</c> (pipeline, letter id, when), shared by every
/// worker on the database: one statement reads which of a batch's ids are there, one inserts a batch (<c>ON CONFLICT DO
/// NOTHING</c>, so a recorded id keeps its first time).
/// </summary>
internal sealed class PostgresReplayedLetters(NpgsqlDataSource dataSource) : IReplayedLetters
{
    public async Task<IReadOnlySet<string>> WhichReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand("SELECT letter_id FROM affinsy_replayed_letters WHERE pipeline = $1 AND letter_id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    public async Task RecordReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_replayed_letters (pipeline, letter_id, replayed_at)
            SELECT $1, l.letter_id, $3 FROM unnest($2::text[]) AS l (letter_id)
            ON CONFLICT (pipeline, letter_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids.Distinct(StringComparer.Ordinal)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
