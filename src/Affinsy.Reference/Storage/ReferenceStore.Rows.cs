using Affinsy.Reference.Reports;
using Affinsy.Reference.Reports.Streaming;
using Microsoft.Data.Sqlite;

namespace Affinsy.Reference.Storage;

public sealed partial class ReferenceStore
{
    private const string LineSelect = """
        SELECT o.order_id, c.customer_id, r.order_date, p.name, r.unit_price, r.quantity, r.order_key, r.product_key
        FROM line_items r
        JOIN orders o ON o.order_key = r.order_key
        JOIN products p ON p.product_key = r.product_key
        LEFT JOIN customers c ON c.customer_key = r.customer_key
        """;

    /// <summary>
    /// Runs a report's computation over the dataset's rows inside one read transaction (every pass sees the same data).
    /// An unknown dataset reads as no rows.
    /// </summary>
    internal T WithReportRows<T>(string owner, string datasetId, Func<IReportRows, T> compute) => Read(c =>
    {
        using var tx = c.BeginTransaction(deferred: true);
        var result = DatasetKey(c, owner, datasetId, tx) is { } key
            ? compute(SqliteReportRows.Open(c, key))
            : compute(new MemoryReportRows([]));
        tx.Commit();
        return result;
    });

    /// <summary>Every stored row of the dataset, ordered by order id then product name (tests and small checks).</summary>
    public List<OrderLine> LoadLines(string owner, string datasetId)
    {
        var lines = new List<OrderLine>();
        ForEachLine(owner, datasetId, lines.Add);
        lines.Sort(static (a, b) =>
        {
            var byOrder = string.CompareOrdinal(a.OrderId, b.OrderId);
            return byOrder != 0 ? byOrder : string.CompareOrdinal(a.ProductName, b.ProductName);
        });
        return lines;
    }

    /// <summary>
    /// Visits every stored row of the dataset without holding them (a verification of millions of rows stays flat
    /// in memory); returns how many rows were visited.
    /// </summary>
    public long ForEachLine(string owner, string datasetId, Action<OrderLine> visit) => Read(c =>
    {
        if (DatasetKey(c, owner, datasetId) is not { } key)
        {
            return 0L;
        }

        using var cmd = Command(c, LineSelect + " WHERE r.dataset_key = $k");
        cmd.Parameters.AddWithValue("$k", key);
        using var r = cmd.ExecuteReader();
        var count = 0L;
        while (r.Read())
        {
            visit(ReadLine(r));
            count++;
        }

        return count;
    });

    /// <summary>
    /// One page of the dataset's rows in storage order, after the position <paramref name="after"/> (null: from the
    /// start); the page's last position when more may follow. Null when the owner has no such dataset.
    /// </summary>
    internal RowsPage? ReadRows(string owner, string datasetId, RowPosition? after, int limit) => Read(c =>
    {
        if (DatasetKey(c, owner, datasetId) is not { } key)
        {
            return null;
        }

        using var cmd = Command(c, LineSelect + """
             WHERE r.dataset_key = $k AND (r.order_key, r.product_key) > ($o, $p)
             ORDER BY r.dataset_key, r.order_key, r.product_key LIMIT $n
            """);
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$o", after?.Order ?? long.MinValue);
        cmd.Parameters.AddWithValue("$p", after?.Product ?? long.MinValue);
        cmd.Parameters.AddWithValue("$n", limit);
        using var r = cmd.ExecuteReader();
        var lines = new List<OrderLine>(Math.Min(limit, 1024));
        RowPosition last = default;
        while (r.Read())
        {
            lines.Add(ReadLine(r));
            last = new RowPosition(r.GetInt64(6), r.GetInt64(7));
        }

        return (RowsPage?)new RowsPage(lines, lines.Count == limit ? last : null);
    });

    private static OrderLine ReadLine(SqliteDataReader r)
    {
        var date = NullableLong(r, 2);
        return new OrderLine(r.GetString(0), NullableString(r, 1), date is { } d ? FromMs(d) : null, r.GetString(3), r.GetDouble(4), r.GetDouble(5));
    }
}

/// <summary>Where a row sits in a dataset's storage order: the cursor of the rows endpoint.</summary>
internal readonly record struct RowPosition(long Order, long Product);

/// <summary>A page of stored rows; <see cref="Next"/> is null on the last page.</summary>
internal sealed record RowsPage(IReadOnlyList<OrderLine> Lines, RowPosition? Next);
