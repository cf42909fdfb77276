using System.Runtime.CompilerServices;
using Affinsy.Core.State;
using Npgsql;
using NpgsqlTypes;

namespace Affinsy.State.Postgres;

/// <summary>
/// Dead letters in <c>affinsy_dead_letters</c>, one row per letter with every <see cref="DeadLetter"/> field, the
/// pipeline and an increasing id. A list is written by one statement (arrays unnested server-side): one round trip,
/// all or nothing.
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
        for (var i = 0; i < letters.Count; i++)
        {
            var letter = letters[i];
            reasons[i] = letter.Reason;
            positions[i] = letter.Position;
            originals[i] = letter.OriginalRecord;
            orderIds[i] = letter.OrderId;
            ats[i] = letter.At.UtcDateTime;
            details[i] = letter.Details;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_dead_letters (pipeline, reason, position, original_record, order_id, at, details)
            SELECT $1, l.reason, l.position, l.original_record, l.order_id, l.at, l.details
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
                WITH ORDINALITY AS l (reason, position, original_record, order_id, at, details, n)
            ORDER BY l.n
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = reasons });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = positions });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = originals });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = orderIds });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = ats, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = details });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM affinsy_dead_letters WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public string LocationOf(string pipeline) => $"table affinsy_dead_letters (pipeline = '{pipeline}') of PostgreSQL {location}";

    /// <summary>Reads a pipeline's dead letters back, oldest first.</summary>
    public async IAsyncEnumerable<DeadLetter> ReadAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT reason, position, original_record, order_id, at, details
            FROM affinsy_dead_letters WHERE pipeline = $1 ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new DeadLetter(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5));
        }
    }
}
