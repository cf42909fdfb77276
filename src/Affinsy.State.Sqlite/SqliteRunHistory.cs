using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Runs and reports in the state database file (tables <c>runs</c> and <c>reports</c>), beside the checkpoints.
/// Times are stored as <see cref="SqliteTime"/> text. One connection per history, serialized by a gate; several
/// processes may share the file.
/// </summary>
internal sealed partial class SqliteRunHistory : IRunHistory, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteRunHistory(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteRunHistory> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
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
                dead_lettered   INTEGER NOT NULL,
                heartbeat_at    TEXT,
                skipped         TEXT
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
            """, UpgradeAsync, cancellationToken);

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
                INSERT OR REPLACE INTO runs (run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered, heartbeat_at, skipped)
                VALUES ($run_id, $pipeline, $worker, $started_at, $finished_at, $outcome, $error, $orders_read, $line_items_sent, $dead_lettered, $heartbeat_at, $skipped)
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
            command.Parameters.AddWithValue("$heartbeat_at", Text(run.HeartbeatAt));
            command.Parameters.AddWithValue("$skipped", (object?)run.Skipped?.ToJson() ?? DBNull.Value);
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

    private static string Text(DateTimeOffset at) => SqliteTime.Text(at);

    private static object Text(DateTimeOffset? at) => SqliteTime.Text(at);

    /// <summary>
    /// Files written before a column (heartbeat_at, skipped: both nullable TEXT) lack it; two processes may both try, and
    /// one finds it added.
    /// </summary>
    /// <summary>Columns added to <c>runs</c> since its first version, for a file an older release created.</summary>
    private static async Task UpgradeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await AddColumnAsync(connection, "heartbeat_at", cancellationToken);
        await AddColumnAsync(connection, "skipped", cancellationToken);
    }

    private static async Task AddColumnAsync(SqliteConnection connection, string column, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT count(*) FROM pragma_table_info('runs') WHERE name = $column";
        check.Parameters.AddWithValue("$column", column);
        if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
        {
            return;
        }

        try
        {
            // The name is one of ours (a constant), never user input: DDL takes no parameters.
            await SqliteFile.ExecuteAsync(connection, $"ALTER TABLE runs ADD COLUMN {column} TEXT", cancellationToken);
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another process added it between the check and the change.
        }
    }
}
