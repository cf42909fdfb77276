using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// <see cref="IReportCounters"/> as rows of the state file's <c>report_counters</c> table (pipeline, sent, due). One
/// upsert adds and takes the threshold off at once (SQLite serializes writers across processes on the file), so two
/// passes counting together never both fire, nor lose an add.
/// </summary>
internal sealed class SqliteReportCounters : IReportCounters, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteReportCounters(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteReportCounters> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
            CREATE TABLE IF NOT EXISTS report_counters (
                pipeline TEXT PRIMARY KEY NOT NULL,
                sent     INTEGER NOT NULL,
                due      INTEGER NOT NULL
            );
            """, cancellationToken);

        return new SqliteReportCounters(connection);
    }

    public async Task<ReportCount> AddAsync(string pipeline, long orders, long every, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();

            // SET expressions read the row as it was: due is whether this add reached the threshold.
            command.CommandText = """
                INSERT INTO report_counters (pipeline, sent, due) VALUES ($pipeline, $orders % $every, $orders >= $every)
                ON CONFLICT (pipeline) DO UPDATE SET
                    due = (report_counters.sent + $orders) >= $every,
                    sent = (report_counters.sent + $orders) % $every
                RETURNING sent, due
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$orders", orders);
            command.Parameters.AddWithValue("$every", every);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new ReportCount(reader.GetInt64(0), reader.GetInt64(1) != 0);
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
