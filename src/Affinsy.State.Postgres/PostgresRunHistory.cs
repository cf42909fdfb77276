using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>Runs and reports in <c>affinsy_runs</c> and <c>affinsy_reports</c>, shared by every worker of a fleet.</summary>
internal sealed class PostgresRunHistory(NpgsqlDataSource dataSource) : IRunHistory
{
    public async Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_runs (run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered, heartbeat_at, skipped)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (run_id) DO UPDATE SET
                pipeline = excluded.pipeline, worker = excluded.worker, started_at = excluded.started_at,
                finished_at = excluded.finished_at, outcome = excluded.outcome, error = excluded.error,
                orders_read = excluded.orders_read, line_items_sent = excluded.line_items_sent, dead_lettered = excluded.dead_lettered,
                heartbeat_at = excluded.heartbeat_at, skipped = excluded.skipped
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.RunId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Worker });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.StartedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = run.FinishedAt?.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RunOutcomeText.Of(run.Outcome) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = run.Error });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.OrdersRead });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.LineItemsSent });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.DeadLettered });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = run.HeartbeatAt?.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = run.Skipped?.ToJson() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_reports (report_id, pipeline, template, run_id, triggered_at, finished_at, status, saved_to)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (report_id) DO UPDATE SET
                pipeline = excluded.pipeline, template = excluded.template, run_id = excluded.run_id,
                triggered_at = excluded.triggered_at, finished_at = excluded.finished_at, status = excluded.status,
                saved_to = excluded.saved_to
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.ReportId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Template });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = report.RunId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = report.TriggeredAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = report.FinishedAt?.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Status });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = report.SavedTo });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT DISTINCT ON (pipeline) {HistoryRows.RunColumns}
            FROM affinsy_runs
            ORDER BY pipeline, started_at DESC, run_id DESC
            """);
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await using var command = dataSource.CreateCommand($"""
            SELECT {HistoryRows.RunColumns} FROM affinsy_runs
            WHERE $1::text IS NULL OR pipeline = $1
            ORDER BY started_at DESC, run_id DESC
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE affinsy_runs SET heartbeat_at = $2 WHERE run_id = $1 AND outcome = 'running'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE affinsy_runs SET
                outcome = 'abandoned',
                finished_at = COALESCE(heartbeat_at, started_at),
                error = 'its worker ' || worker || ' stopped without ending the run (last heartbeat '
                    || to_char(COALESCE(heartbeat_at, started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    || '); the next sync resumes from the last checkpoint'
            WHERE pipeline = $1 AND outcome = 'running' AND COALESCE(heartbeat_at, started_at) < $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (now - PipelineLeases.ExpiresAfter).ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(HistoryRows.ReadRun(reader, Time));
        }

        return runs;
    }

    public async Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT DISTINCT ON (pipeline, template) {HistoryRows.ReportColumns}
            FROM affinsy_reports
            ORDER BY pipeline, template, triggered_at DESC, report_id DESC
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<ReportRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(HistoryRows.ReadReport(reader, Time));
        }

        return reports;
    }

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int column) => reader.GetFieldValue<DateTimeOffset>(column);
}
