using Affinsy.Core.State;
using Npgsql;
using NpgsqlTypes;

namespace Affinsy.State.Postgres;

/// <summary>
/// The order ledger in <c>affinsy_order_ledger</c>. A batch's look-up is one <c>= ANY</c> over an array of ids and its
/// record one upsert over <c>unnest</c>ed arrays, so each is a single round trip whatever the batch size.
/// </summary>
internal sealed class PostgresOrderLedger(NpgsqlDataSource dataSource) : IOrderLedger
{
    public async Task<IReadOnlyDictionary<string, long>> FindAsync(string pipeline, string datasetId, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (orderIds.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT order_id, hash FROM affinsy_order_ledger WHERE pipeline = $1 AND dataset = $2 AND order_id = ANY($3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = datasetId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. orderIds], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }

        return found;
    }

    public async Task RecordAsync(string pipeline, string datasetId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        // One statement may not update a row twice: the last entry of an order wins, as it would row by row.
        var last = new Dictionary<string, LedgerEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            last[entry.OrderId] = entry;
        }

        var ids = new string[last.Count];
        var hashes = new long[last.Count];
        var lines = new int[last.Count];
        var i = 0;
        foreach (var entry in last.Values)
        {
            (ids[i], hashes[i], lines[i]) = (entry.OrderId, entry.Hash, entry.LineItems);
            i++;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO affinsy_order_ledger (pipeline, dataset, order_id, hash, line_items)
            SELECT $1, $2, e.order_id, e.hash, e.line_items FROM unnest($3, $4, $5) AS e(order_id, hash, line_items)
            ON CONFLICT (pipeline, dataset, order_id) DO UPDATE SET hash = excluded.hash, line_items = excluded.line_items
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = datasetId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = lines, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LedgerTotals> TotalsAsync(string pipeline, string datasetId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), coalesce(sum(line_items), 0)::bigint FROM affinsy_order_ledger WHERE pipeline = $1 AND dataset = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = datasetId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LedgerTotals(reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task ClearAsync(string pipeline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM affinsy_order_ledger WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pipeline });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
