using System.Runtime.CompilerServices;
using Affinsy.Core.State;
using Npgsql;
using NpgsqlTypes;

namespace Affinsy.State.Postgres;

/// <summary>
/// Dead letters in <c>affinsy_dead_letters</c>, one row per letter with every <see cref="DeadLetter"/> field, the
/// pipeline, an increasing id and the letter's identity (<c>letter_id</c>, unique per pipeline). A list is written by
/// one statement (arrays unnested server-side, <c>ON CONFLICT DO NOTHING</c> on the identity): one round trip, all or
/// nothing, and a refusal the table already holds (from a resumed or refreshed run, or another worker) adds no row.
/// </summary>
internal sealed class PostgresDeadLetterStore(NpgsqlDataSource dataSource, PostgresLocation location) : IDeadLetterStore
{
    public Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken) =>
        WriteManyAsync(pipeline, [letter], cancellationToken);

    public async Task WriteManyAsync(string pipeline, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(letters);
        if (letters.Count == 0)
        {
            return;
        }

        var reasons = new string[letters.Count];
        var positions = new string[letters.Count];
        var originals = new string[letters.Count];
        var orderIds = new string?[letters.Count];
        var ats = new DateTime[letters.Count];
        var details = new string?[letters.Count];
        var ids = new string[letters.Count];
        for (var i = 0; i < letters.Count; i++)
        {
            var letter = letters[i];
            reasons[i] = letter.Reason;
            positions[i] = letter.Position;
            originals[i] = letter.OriginalRecord;
            orderIds[i] = letter.OrderId;
            ats[i] = letter.At.UtcDateTime;
            details[i] = letter.Details;
            ids[i] = DeadLetterIdentity.Of(pipeline, letter);
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_dead_letters (pipeline, reason, position, original_record, order_id, at, details, letter_id)
            SELECT $1, l.reason, l.position, l.original_record, l.order_id, l.at, l.details, l.letter_id
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
                WITH ORDINALITY AS l (reason, position, original_record, order_id, at, details, letter_id, n)
            ORDER BY l.n
            ON CONFLICT (pipeline, letter_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = reasons });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = positions });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = originals });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = orderIds });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = ats, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = details });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM affinsy_dead_letters WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public string LocationOf(string pipeline) => $"table affinsy_dead_letters (pipeline = '{pipeline}') of PostgreSQL {location}";

    public async IAsyncEnumerable<StoredDeadLetter> ListAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE pipeline = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public async Task<StoredDeadLetter?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE letter_id = lower($1) ORDER BY id LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<long> PurgeAsync(string pipeline, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM affinsy_dead_letters WHERE pipeline = $1 AND ($2::timestamptz IS NULL OR at < $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = before?.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One statement: idempotent (only rows still unresolved change) and safe beside any other worker.</summary>
    public async Task<long> ResolveAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE affinsy_dead_letters SET resolved_at = $3 WHERE pipeline = $1 AND letter_id = ANY($2) AND resolved_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids.Select(id => id.ToLowerInvariant())] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string Select = "SELECT pipeline, reason, position, original_record, order_id, at, details, letter_id, resolved_at FROM affinsy_dead_letters";

    private static StoredDeadLetter Read(NpgsqlDataReader reader)
    {
        var pipeline = reader.GetString(0);
        var letter = new DeadLetter(
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetString(6));
        var id = reader.IsDBNull(7) ? DeadLetterIdentity.Of(pipeline, letter) : reader.GetString(7);
        return new StoredDeadLetter(id, pipeline, letter, reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));
    }
}
