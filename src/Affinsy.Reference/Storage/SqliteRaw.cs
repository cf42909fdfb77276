using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// The result-code check and statement preparation shared by the store's raw SQLitePCL paths (row upserts, keys, order
/// facts, report scans): a code other than <c>SQLITE_OK</c> becomes a <see cref="SqliteException"/> that names what was
/// being done and SQLite's own message.
/// </summary>
internal static class SqliteRaw
{
    /// <summary>Throws unless <paramref name="rc"/> is <c>SQLITE_OK</c>; <paramref name="doing"/> completes "while ...".</summary>
    public static void Check(sqlite3 db, int rc, string doing)
    {
        if (rc != raw.SQLITE_OK)
        {
            Throw(db, rc, doing);
        }
    }

    /// <summary>Prepares <paramref name="sql"/> on <paramref name="db"/>, checked as <see cref="Check"/> does.</summary>
    public static sqlite3_stmt Prepare(sqlite3 db, string sql, string doing)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var stmt), doing);
        return stmt;
    }

    /// <summary>
    /// Finalizes <paramref name="statements"/> when <paramref name="connection"/> closes: a statement prepared on a
    /// connection must not outlive it.
    /// </summary>
    public static void FinalizeOnClose(SqliteConnection connection, params sqlite3_stmt[] statements)
    {
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState == System.Data.ConnectionState.Closed)
            {
                foreach (var statement in statements)
                {
                    statement.Dispose();
                }
            }
        };
    }

    // Apart from Check, so the check itself stays small enough to inline on the per-row bind paths.
    [DoesNotReturn]
    private static void Throw(sqlite3 db, int rc, string doing) =>
        throw new SqliteException($"SQLite error {rc} while {doing}: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
}
