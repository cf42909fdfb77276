using System.Data.Common;
using Affinsy.Core.Sources;

namespace Affinsy.Core.State;

/// <summary>
/// How a state store reads its run history back; both stores are ADO.NET, so one reader serves them. A run row is
/// selected as <see cref="RunColumns"/>, a report row as <see cref="ReportColumns"/>; the store says how it keeps a
/// time (SQLite as fixed-width UTC text, PostgreSQL as <c>timestamptz</c>).
/// </summary>
public static class HistoryRows
{
    /// <summary>The columns of a run row, in the order <see cref="ReadRun"/> reads them.</summary>
    public const string RunColumns = "run_id, pipeline, worker, started_at, finished_at, outcome, error, orders_read, line_items_sent, dead_lettered, heartbeat_at, skipped";

    /// <summary>The columns of a report row, in the order <see cref="ReadReport"/> reads them.</summary>
    public const string ReportColumns = "report_id, pipeline, template, run_id, triggered_at, finished_at, status, saved_to";

    /// <summary>The run on the reader's current row.</summary>
    /// <param name="reader">A reader positioned on a row of <see cref="RunColumns"/>.</param>
    /// <param name="time">Reads the (non-null) time in a column.</param>
    public static RunRecord ReadRun(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        return new RunRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            time(reader, 3),
            reader.IsDBNull(4) ? null : time(reader, 4),
            RunOutcomeText.Parse(reader.GetString(5)),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            reader.GetInt64(8),
            reader.GetInt64(9),
            reader.IsDBNull(10) ? null : time(reader, 10),
            reader.IsDBNull(11) ? null : SkipCounts.Parse(reader.GetString(11)));
    }

    /// <summary>The report on the reader's current row.</summary>
    /// <param name="reader">A reader positioned on a row of <see cref="ReportColumns"/>.</param>
    /// <param name="time">Reads the (non-null) time in a column.</param>
    public static ReportRecord ReadReport(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        return new ReportRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            time(reader, 4),
            reader.IsDBNull(5) ? null : time(reader, 5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7));
    }
}
