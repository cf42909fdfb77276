using System.Text;
using System.Text.Json;
using Affinsy.Core.State;
using Microsoft.Data.Sqlite;

namespace Affinsy.State.Sqlite;

/// <summary>
/// The order ledger as the state file's <c>order_ledger</c> table, keyed (pipeline, dataset, order id) without a rowid
/// so a look-up is one B-tree descent. A batch's look-up is one statement joining <c>json_each</c> of its ids, so
/// SQLite walks the index in C instead of this process issuing one query per order.
/// </summary>
internal sealed class SqliteOrderLedger : IOrderLedger, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteOrderLedger(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteOrderLedger> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteFile.OpenWithSchemaAsync(path, """
            CREATE TABLE IF NOT EXISTS order_ledger (
                pipeline   TEXT NOT NULL,
                dataset    TEXT NOT NULL,
                order_id   TEXT NOT NULL,
                hash       INTEGER NOT NULL,
                line_items INTEGER NOT NULL,
                PRIMARY KEY (pipeline, dataset, order_id)
            ) WITHOUT ROWID;
            """, cancellationToken);

        return new SqliteOrderLedger(connection);
    }

    public async Task<IReadOnlyDictionary<string, long>> FindAsync(string pipeline, string datasetId, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (orderIds.Count == 0)
        {
            return found;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            // CROSS JOIN fixes the loop order in SQLite: one primary-key search per id. With a plain JOIN the planner
            // scans the pipeline's whole ledger per batch and probes the id list for each row (quadratic overall).
            command.CommandText = """
                SELECT l.order_id, l.hash FROM json_each($ids) AS j
                CROSS JOIN order_ledger AS l ON l.pipeline = $pipeline AND l.dataset = $dataset AND l.order_id = j.value
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$dataset", datasetId);
            command.Parameters.AddWithValue("$ids", JsonArray(orderIds));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = reader.GetInt64(1);
            }

            return found;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RecordAsync(string pipeline, string datasetId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = _connection.BeginTransaction(deferred: false);
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO order_ledger (pipeline, dataset, order_id, hash, line_items) VALUES ($pipeline, $dataset, $order, $hash, $lines)
                ON CONFLICT (pipeline, dataset, order_id) DO UPDATE SET hash = excluded.hash, line_items = excluded.line_items
                """;
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$dataset", datasetId);
            var order = command.Parameters.Add("$order", SqliteType.Text);
            var hash = command.Parameters.Add("$hash", SqliteType.Integer);
            var lines = command.Parameters.Add("$lines", SqliteType.Integer);
            foreach (var entry in entries)
            {
                order.Value = entry.OrderId;
                hash.Value = entry.Hash;
                lines.Value = entry.LineItems;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LedgerTotals> TotalsAsync(string pipeline, string datasetId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*), coalesce(sum(line_items), 0) FROM order_ledger WHERE pipeline = $pipeline AND dataset = $dataset";
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$dataset", datasetId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new LedgerTotals(reader.GetInt64(0), reader.GetInt64(1));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ClearAsync(string pipeline, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM order_ledger WHERE pipeline = $pipeline";
            command.Parameters.AddWithValue("$pipeline", pipeline);
            await command.ExecuteNonQueryAsync(cancellationToken);
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

    private static string JsonArray(IReadOnlyCollection<string> ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
