using System.Globalization;
using Affinsy.Reference.Reports;
using Microsoft.Data.Sqlite;

namespace Affinsy.Reference.Storage;

/// <summary>
/// SQLite storage of the reference server. One writer connection with prepared statements, serialized
/// by a lock so each request is one transaction; reads use their own pooled connections (WAL lets them
/// run beside the writer). In-memory mode (no data directory) routes every access through the writer.
/// </summary>
public sealed partial class ReferenceStore : IDisposable
{
    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly WalCheckpointer? _checkpointer;

    private ReferenceStore(string connectionString, bool inMemory, TimeProvider time)
    {
        _connectionString = connectionString;
        _inMemory = inMemory;
        _time = time;
        _writer = new SqliteConnection(connectionString);
        _writer.Open();
        using var create = _writer.CreateCommand();
        create.CommandText = Schema.Create;
        create.ExecuteNonQuery();
        UpgradeSchema(_writer);
        if (!inMemory)
        {
            _checkpointer = new WalCheckpointer(_writer, connectionString);
        }
    }

    /// <summary>The write-ahead log's checkpoints run so far off the write path (null in memory), for tests.</summary>
    internal Http.CountSignal? BackgroundCheckpoints => _checkpointer?.Checkpoints;

    /// <summary>
    /// Brings a version 1 file (text keys) or a version 2 file (no order facts) to version 3 in one transaction; refuses
    /// a file from a newer server rather than misreading it.
    /// </summary>
    private static void UpgradeSchema(SqliteConnection c)
    {
        using var version = Command(c, "PRAGMA user_version");
        var current = Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current == Schema.Version)
        {
            return;
        }

        if (current > Schema.Version)
        {
            throw new InvalidOperationException(
                $"The reference database has schema version {current}, newer than this server's {Schema.Version}: use a newer reference server or a new data directory.");
        }

        using var tx = c.BeginTransaction();
        using (var legacy = Command(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'order_rows'", tx))
        {
            if ((long)legacy.ExecuteScalar()! > 0)
            {
                using var migrate = Command(c, Schema.MigrateFromVersion1, tx);
                migrate.ExecuteNonQuery();
            }
        }

        if (current < 3)
        {
            // Version 3 adds order_facts: built from the line items, as each upsert keeps it from then on.
            using var facts = new OrderFactsStatements(c);
            facts.RebuildAll(tx);
        }

        using (var set = Command(c, $"PRAGMA user_version = {Schema.Version}", tx))
        {
            set.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>Opens (creating if needed) <c>reference.db</c> under the directory, or an in-memory store when null.</summary>
    internal static ReferenceStore Open(string? dataDirectory, TimeProvider time)
    {
        if (dataDirectory is null)
        {
            var name = "reference-" + Guid.NewGuid().ToString("N");
            return new ReferenceStore($"Data Source={name};Mode=Memory;Cache=Shared", inMemory: true, time);
        }

        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "reference.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new ReferenceStore(builder.ToString(), inMemory: false, time);
    }

    public void Dispose()
    {
        _checkpointer?.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
        if (!_inMemory)
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Runs a write as one transaction under the writer lock.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            using var tx = _writer.BeginTransaction();
            var result = work(_writer, tx);
            tx.Commit();
            _checkpointer?.Committed();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs a read on its own connection (or the writer's, in memory mode).</summary>
    private T Read<T>(Func<SqliteConnection, T> work)
    {
        if (_inMemory)
        {
            _writeLock.Wait();
            try
            {
                return work(_writer);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return work(connection);
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static object Db(object? value) => value ?? DBNull.Value;

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static string NewId(string prefix) =>
        prefix + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 12));

    /// <summary>The dataset's integer key, if the owner has it.</summary>
    private static long? DatasetKey(SqliteConnection c, string owner, string datasetId, SqliteTransaction? tx = null)
    {
        using var cmd = Command(c, "SELECT dataset_key FROM datasets WHERE owner = $o AND dataset_id = $d", tx);
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$d", datasetId);
        return cmd.ExecuteScalar() is long key ? key : null;
    }

    internal bool DatasetExists(string owner, string datasetId) => Read(c => DatasetKey(c, owner, datasetId) is not null);

    internal IReadOnlyList<DatasetStats> ListDatasets(string owner) => Read(c =>
    {
        var ids = new List<string>();
        using (var cmd = Command(c, "SELECT dataset_id FROM datasets WHERE owner = $o ORDER BY dataset_id"))
        {
            cmd.Parameters.AddWithValue("$o", owner);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }

        return (IReadOnlyList<DatasetStats>)ids.Select(id => Stats(c, owner, id)!).ToList();
    });

    internal DatasetStats? GetDataset(string owner, string datasetId) => Read(c => Stats(c, owner, datasetId));

    private static DatasetStats? Stats(SqliteConnection c, string owner, string datasetId)
    {
        using var cmd = Command(c, """
            SELECT d.updated_at, COUNT(DISTINCT r.order_key), COUNT(r.order_key), COUNT(DISTINCT r.customer_key),
                   MIN(r.order_date), MAX(r.order_date)
            FROM datasets d LEFT JOIN line_items r ON r.dataset_key = d.dataset_key
            WHERE d.owner = $o AND d.dataset_id = $d
            GROUP BY d.dataset_key
            """);
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$d", datasetId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var first = NullableLong(r, 4);
        var last = NullableLong(r, 5);
        return new DatasetStats(
            datasetId, r.GetInt64(1), r.GetInt64(2), r.GetInt64(3),
            first is { } f ? FromMs(f) : null, last is { } l ? FromMs(l) : null, FromMs(r.GetInt64(0)));
    }

    /// <summary>Removes the dataset, its rows, imports and reports. False when the owner has no such dataset.</summary>
    internal Task<bool> DeleteDatasetAsync(string owner, string datasetId, CancellationToken ct) => WriteAsync((c, tx) =>
    {
        if (DatasetKey(c, owner, datasetId, tx) is not { } key)
        {
            return false;
        }

        foreach (var sql in new[]
        {
            "DELETE FROM line_items WHERE dataset_key = $k",
            "DELETE FROM order_facts WHERE dataset_key = $k",
            "DELETE FROM orders WHERE dataset_key = $k",
            "DELETE FROM products WHERE dataset_key = $k",
            "DELETE FROM customers WHERE dataset_key = $k",
            "DELETE FROM datasets WHERE dataset_key = $k",
            "DELETE FROM imports WHERE owner = $o AND dataset_id = $d",
            "DELETE FROM webhook_deliveries WHERE report_id IN (SELECT report_id FROM reports WHERE owner = $o AND dataset_id = $d)",
            "DELETE FROM reports WHERE owner = $o AND dataset_id = $d",
        })
        {
            using var cmd = Command(c, sql, tx);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$o", owner);
            cmd.Parameters.AddWithValue("$d", datasetId);
            cmd.ExecuteNonQuery();
        }

        // A later dataset may reuse the integer key: cached product and customer keys of this one must go.
        _keyCache.Clear();
        return true;
    }, ct);

    internal ImportRecord? GetImport(string owner, string importId) => Read(c =>
    {
        using var cmd = Command(c, "SELECT dataset_id, status, inserted, updated, rejected, created_at FROM imports WHERE owner = $o AND import_id = $i");
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$i", importId);
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new ImportRecord(importId, r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), FromMs(r.GetInt64(5)))
            : null;
    });

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
