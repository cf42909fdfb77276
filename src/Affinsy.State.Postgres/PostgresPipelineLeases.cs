using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// Pipeline leases as rows of <c>affinsy_leases</c>. Taking one is a single conditional upsert: PostgreSQL locks the
/// row (or the key, for a new one) so of racing workers exactly one changes it, and <c>RETURNING</c> says whether it
/// was this one. A lease row, not an advisory lock: it outlives a connection, names its holder for the message a
/// refused pass prints, and expires on time rather than when a TCP connection is finally noticed dead.
/// </summary>
internal sealed class PostgresPipelineLeases(NpgsqlDataSource dataSource, TimeProvider time) : IPipelineLeases
{
    public async Task<LeaseState> AcquireAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        while (true)
        {
            var now = time.GetUtcNow();
            await using (var take = dataSource.CreateCommand("""
                INSERT INTO affinsy_leases AS l (pipeline, holder, since, renewed_at) VALUES ($1, $2, $3, $3)
                ON CONFLICT (pipeline) DO UPDATE SET
                    since = CASE WHEN l.holder = excluded.holder THEN l.since ELSE excluded.since END,
                    holder = excluded.holder,
                    renewed_at = excluded.renewed_at
                WHERE l.holder = excluded.holder OR l.renewed_at < $4
                RETURNING holder, since, renewed_at
                """))
            {
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = holder });
                take.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
                take.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (now - PipelineLeases.ExpiresAfter).ToUniversalTime() });
                await using var reader = await take.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return new LeaseState(true, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
                }
            }

            // Held by another; when it was released between the two statements, try again.
            if (await GetAsync(pipeline, cancellationToken) is { } held)
            {
                return held;
            }
        }
    }

    public async Task<bool> RenewAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE affinsy_leases SET renewed_at = $3 WHERE pipeline = $1 AND holder = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = holder });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow().ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(string pipeline, string holder, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM affinsy_leases WHERE pipeline = $1 AND holder = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = holder });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LeaseState?> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT holder, since, renewed_at FROM affinsy_leases WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LeaseState(false, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }
}
