using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>Reading the history back, and the liveness of running runs (heartbeats, abandoned runs).</summary>
internal sealed partial class SqliteRunHistory
{
    public Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) =>
        ReadRunsAsync($"""
            SELECT {HistoryRows.RunColumns}
            FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY started_at DESC, run_id DESC) AS latest FROM runs)
            WHERE latest = 1
            ORDER BY pipeline
            """, _ => { }, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return ReadRunsAsync($"""
            SELECT {HistoryRows.RunColumns} FROM runs
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
            command.CommandText = $"""
                SELECT {HistoryRows.ReportColumns}
                FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pipeline, template ORDER BY triggered_at DESC, report_id DESC) AS latest FROM reports)
                WHERE latest = 1
                ORDER BY pipeline, template
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var reports = new List<ReportRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                reports.Add(HistoryRows.ReadReport(reader, StoredTime));
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
                runs.Add(HistoryRows.ReadRun(reader, StoredTime));
            }

            return runs;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A time column as <see cref="SqliteTime"/> wrote it.</summary>
    private static DateTimeOffset StoredTime(System.Data.Common.DbDataReader reader, int column) => SqliteTime.Parse(reader.GetString(column));
}
