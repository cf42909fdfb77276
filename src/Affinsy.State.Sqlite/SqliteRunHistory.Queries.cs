using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>Reading the history back, and the liveness of running runs (heartbeats, abandoned runs).</summary>
internal sealed partial class SqliteRunHistory
{
    private const string RunColumns = "run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered, heartbeat_at, skipped";

    public Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) =>
        ReadRunsAsync($"""
            SELECT {RunColumns}
            FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY started_at DESC, run_id DESC) AS latest FROM runs)
            WHERE latest = 1
            ORDER BY pipeline
            """, _ => { }, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return ReadRunsAsync($"""
            SELECT {RunColumns} FROM runs
            WHERE $pipeline IS NULL OR pipeline = $pipeline
            ORDER BY started_at DESC, run_id DESC
            LIMIT $count
            """, p =>
            {
                p.AddWithValue("$pipeline", (object?)pipeline ?? DBNull.Value);
                p.AddWithValue("$count", count);
            }, cancellationToken);
    }

    public async Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE runs SET heartbeat_at = $at WHERE run_id = $run_id AND outcome = 'running'";
            command.Parameters.AddWithValue("$run_id", runId);
            command.Parameters.AddWithValue("$at", Text(at));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE runs SET
                    outcome = 'abandoned',
                    finished_at = COALESCE(heartbeat_at, started_at),
                    error = 'its worker ' || worker || ' stopped without ending the run (last heartbeat ' || COALESCE(heartbeat_at, started_at) || '); the next sync resumes from the last checkpoint'
                WHERE pipeline = $pipeline AND outcome = 'running' AND COALESCE(heartbeat_at, started_at) < $expired
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$expired", Text(now - PipelineLeases.ExpiresAfter));
            return await command.ExecuteNonQueryAsync(cancellationToken);
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

    private async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            bind(command.Parameters);
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
                    reader.GetInt64(9),
                    reader.IsDBNull(10) ? null : Time(reader.GetString(10)),
                    reader.IsDBNull(11) ? null : SkipCounts.Parse(reader.GetString(11))));
            }

            return runs;
        }
        finally
        {
            _gate.Release();
        }
    }
}
