using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Affinsy.Core.State;

/// <summary>
/// Runs and reports in the state database file (tables <c>runs</c> and <c>reports</c>), beside the checkpoints.
/// Times are stored as fixed-width UTC text so that text order is time order and the file stays readable with the
/// sqlite3 shell. One connection per history, serialized by a gate; several processes may share the file.
/// </summary>
internal sealed class SqliteRunHistory : IRunHistory, IAsyncDisposable
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteRunHistory(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteRunHistory> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenAsync(path, cancellationToken);
        try
        {
            await SqliteFile.ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS runs (
                    run_id          TEXT PRIMARY KEY NOT NULL,
                    pipeline        TEXT NOT NULL,
                    worker          TEXT NOT NULL,
                    started_at      TEXT NOT NULL,
                    finished_at     TEXT,
                    outcome         TEXT NOT NULL,
                    error           TEXT,
                    orders_read     INTEGER NOT NULL,
                    line_items_sent INTEGER NOT NULL,
                    dead_lettered   INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS runs_by_pipeline ON runs (pipeline, started_at);
                CREATE TABLE IF NOT EXISTS reports (
                    report_id    TEXT PRIMARY KEY NOT NULL,
                    pipeline     TEXT NOT NULL,
                    template     TEXT NOT NULL,
                    run_id       TEXT,
                    triggered_at TEXT NOT NULL,
                    finished_at  TEXT,
                    status       TEXT NOT NULL,
                    saved_to     TEXT
                );
                CREATE INDEX IF NOT EXISTS reports_by_template ON reports (pipeline, template, triggered_at);
                """, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new SqliteRunHistory(connection);
    }

    public async Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO runs (run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered)
                VALUES ($run_id, $pipeline, $worker, $started_at, $finished_at, $outcome, $error, $orders_read, $line_items_sent, $dead_lettered)
                """;
            command.Parameters.AddWithValue("$run_id", run.RunId);
            command.Parameters.AddWithValue("$pipeline", run.Pipeline);
            command.Parameters.AddWithValue("$worker", run.Worker);
            command.Parameters.AddWithValue("$started_at", Text(run.StartedAt));
            command.Parameters.AddWithValue("$finished_at", Text(run.FinishedAt));
            command.Parameters.AddWithValue("$outcome", RunOutcomeText.Of(run.Outcome));
            command.Parameters.AddWithValue("$error", (object?)run.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$orders_read", run.OrdersRead);
            command.Parameters.AddWithValue("$line_items_sent", run.LineItemsSent);
            command.Parameters.AddWithValue("$dead_lettered", run.DeadLettered);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO reports (report_id, pipeline, template, run_id, triggered_at, finished_at, status, saved_to)
                VALUES ($report_id, $pipeline, $template, $run_id, $triggered_at, $finished_at, $status, $saved_to)
                """;
            command.Parameters.AddWithValue("$report_id", report.ReportId);
            command.Parameters.AddWithValue("$pipeline", report.Pipeline);
            command.Parameters.AddWithValue("$template", report.Template);
            command.Parameters.AddWithValue("$run_id", (object?)report.RunId ?? DBNull.Value);
            command.Parameters.AddWithValue("$triggered_at", Text(report.TriggeredAt));
            command.Parameters.AddWithValue("$finished_at", Text(report.FinishedAt));
            command.Parameters.AddWithValue("$status", report.Status);
            command.Parameters.AddWithValue("$saved_to", (object?)report.SavedTo ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered
                FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY started_at DESC, run_id DESC) AS latest FROM runs)
                WHERE latest = 1
                ORDER BY pipeline
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var runs = new List<RunRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(new RunRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    Time(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : Time(reader.GetString(4)),
                    RunOutcomeText.Parse(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt64(7),
                    reader.GetInt64(8),
                    reader.GetInt64(9)));
            }

            return runs;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT report_id, pipeline, template, run_id, triggered_at, finished_at, status, saved_to
                FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pipeline, template ORDER BY triggered_at DESC, report_id DESC) AS latest FROM reports)
                WHERE latest = 1
                ORDER BY pipeline, template
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var reports = new List<ReportRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                reports.Add(new ReportRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    Time(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : Time(reader.GetString(5)),
                    reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }

            return reports;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Round-trips to the file (readiness).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM runs WHERE 0";
            await command.ExecuteScalarAsync(cancellationToken);
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

    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static object Text(DateTimeOffset? at) => at is { } value ? Text(value) : DBNull.Value;

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
