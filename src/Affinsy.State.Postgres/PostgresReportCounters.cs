using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// <see cref="IReportCounters"/> as rows of <c>affinsy_report_counters</c>, shared by every worker on the database. One
/// upsert adds and takes the threshold off: PostgreSQL locks the row, so of two workers counting together exactly one
/// sees the threshold reached, and no add is lost.
/// </summary>
internal sealed class PostgresReportCounters(NpgsqlDataSource dataSource) : IReportCounters
{
    public async Task<ReportCount> AddAsync(string pipeline, long orders, long every, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);

        // SET expressions read the row as it was: due is whether this add reached the threshold.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_report_counters AS c (pipeline, sent, due) VALUES ($1, $2 % $3, $2 >= $3)
            ON CONFLICT (pipeline) DO UPDATE SET
                due = (c.sent + $2) >= $3,
                sent = (c.sent + $2) % $3
            RETURNING sent, due
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = orders });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = every });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ReportCount(reader.GetInt64(0), reader.GetBoolean(1));
    }
}
