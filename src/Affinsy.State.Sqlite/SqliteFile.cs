using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Opens connections to the state database file with the settings every store on it relies on: WAL so readers in
/// other processes never block the writer, synchronous=FULL so a completed write survives a power cut, and a busy
/// timeout so processes sharing the file wait for each other instead of failing.
/// </summary>
internal static class SqliteFile
{
    public static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);

            // busy_timeout first: switching to WAL needs a lock another process may hold while it creates its tables.
            await ExecuteAsync(connection, """
                PRAGMA busy_timeout=30000;
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                """, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// <see cref="OpenAsync"/>, then the store's tables created if missing (<paramref name="schema"/>: <c>CREATE ... IF
    /// NOT EXISTS</c>); the connection is closed again when that fails.
    /// </summary>
    public static Task<SqliteConnection> OpenWithSchemaAsync(string path, string schema, CancellationToken cancellationToken) =>
        OpenWithSchemaAsync(path, schema, upgrade: null, cancellationToken);

    /// <summary>As the other overload, then <paramref name="upgrade"/> (columns added since) before the connection is handed over.</summary>
    public static async Task<SqliteConnection> OpenWithSchemaAsync(
        string path, string schema, Func<SqliteConnection, CancellationToken, Task>? upgrade, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(path, cancellationToken);
        try
        {
            await ExecuteAsync(connection, schema, cancellationToken);
            if (upgrade is not null)
            {
                await upgrade(connection, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
