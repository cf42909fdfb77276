using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// Keeps <c>order_facts</c> in step with <c>line_items</c> inside the writer's transaction, through statements prepared
/// once on the writer connection. An order created by the request being stored has exactly that request's lines, so
/// its facts come from them (<see cref="Write"/>, one insert at the end of the table); an order that existed before is
/// read back from its stored lines (<see cref="Refresh"/>), since an upsert may have changed any of them.
/// </summary>
internal sealed class OrderFactsStatements : IDisposable
{
    // ?1 dataset key, ?2 order key, ?3 customer key, ?4 date, ?5 spend (units, decimal text or NULL), ?6 scale.
    private const string UpsertSql = """
        INSERT OR REPLACE INTO order_facts (dataset_key, order_key, customer_key, order_date, spend, spend_scale)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        """;

    private const string LinesSql = """
        SELECT l.product_key, l.customer_key, c.customer_id, l.order_date, l.unit_price, l.quantity
        FROM line_items l LEFT JOIN customers c ON c.customer_key = l.customer_key
        WHERE l.dataset_key = ?1 AND l.order_key = ?2
        """;

    private const string DeleteSql = "DELETE FROM order_facts WHERE dataset_key = ?1 AND order_key = ?2";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _upsert;
    private readonly sqlite3_stmt _lines;
    private readonly sqlite3_stmt _delete;

    public OrderFactsStatements(SqliteConnection connection)
    {
        _connection = connection;
        _upsert = Prepare(UpsertSql);
        _lines = Prepare(LinesSql);
        _delete = Prepare(DeleteSql);
        SqliteRaw.FinalizeOnClose(connection, _upsert, _lines, _delete);
    }

    /// <summary>The builder <see cref="Write"/> reads; the caller fills it with a new order's lines.</summary>
    public OrderFactsBuilder Builder { get; } = new();

    public void Dispose()
    {
        _upsert.Dispose();
        _lines.Dispose();
        _delete.Dispose();
    }

    /// <summary>Stores the facts of <see cref="Builder"/>'s lines as the order's.</summary>
    public void Write(long datasetKey, long orderKey)
    {
        var db = _connection.Handle!;
        var b = Builder;
        Check(db, raw.sqlite3_bind_int64(_upsert, 1, datasetKey));
        Check(db, raw.sqlite3_bind_int64(_upsert, 2, orderKey));
        Check(db, b.CustomerKey is { } customer ? raw.sqlite3_bind_int64(_upsert, 3, customer) : raw.sqlite3_bind_null(_upsert, 3));
        Check(db, b.DateMs is { } date ? raw.sqlite3_bind_int64(_upsert, 4, date) : raw.sqlite3_bind_null(_upsert, 4));
        if (!b.TrySpend(out var spend))
        {
            Check(db, raw.sqlite3_bind_null(_upsert, 5));
            Check(db, raw.sqlite3_bind_null(_upsert, 6));
        }
        else if (spend.TryGetUnits(out var units, out var scale))
        {
            Check(db, raw.sqlite3_bind_int64(_upsert, 5, units));
            Check(db, raw.sqlite3_bind_int(_upsert, 6, scale));
        }
        else
        {
            // Past a long: the decimal itself, whose invariant text keeps its scale (trailing zeros) both ways.
            Check(db, raw.sqlite3_bind_text(_upsert, 5, spend.Value.ToString(CultureInfo.InvariantCulture)));
            Check(db, raw.sqlite3_bind_null(_upsert, 6));
        }

        Done(db, _upsert);
    }

    /// <summary>Recomputes an order's facts from its stored lines (removes them if it has none).</summary>
    public void Refresh(long datasetKey, long orderKey)
    {
        var db = _connection.Handle!;
        var b = Builder;
        b.Reset();
        Check(db, raw.sqlite3_bind_int64(_lines, 1, datasetKey));
        Check(db, raw.sqlite3_bind_int64(_lines, 2, orderKey));
        int rc;
        while ((rc = raw.sqlite3_step(_lines)) == raw.SQLITE_ROW)
        {
            var hasCustomer = raw.sqlite3_column_type(_lines, 1) != raw.SQLITE_NULL;
            b.Line(
                raw.sqlite3_column_int64(_lines, 0),
                hasCustomer ? raw.sqlite3_column_text(_lines, 2).utf8_to_string() : null,
                hasCustomer ? raw.sqlite3_column_int64(_lines, 1) : null,
                raw.sqlite3_column_type(_lines, 3) != raw.SQLITE_NULL ? raw.sqlite3_column_int64(_lines, 3) : null,
                raw.sqlite3_column_double(_lines, 4),
                raw.sqlite3_column_double(_lines, 5));
        }

        raw.sqlite3_reset(_lines);
        if (rc != raw.SQLITE_DONE)
        {
            Check(db, rc);
        }

        if (b.Lines > 0)
        {
            Write(datasetKey, orderKey);
        }
        else
        {
            Check(db, raw.sqlite3_bind_int64(_delete, 1, datasetKey));
            Check(db, raw.sqlite3_bind_int64(_delete, 2, orderKey));
            Done(db, _delete);
        }
    }

    /// <summary>
    /// Rebuilds every order's facts from the line items (schema migration to version 3), in the caller's transaction.
    /// </summary>
    public void RebuildAll(SqliteTransaction tx)
    {
        var orders = new List<(long Dataset, long Order)>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT DISTINCT dataset_key, order_key FROM line_items";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                orders.Add((r.GetInt64(0), r.GetInt64(1)));
            }
        }

        foreach (var (dataset, order) in orders)
        {
            Refresh(dataset, order);
        }
    }

    private static void Done(sqlite3 db, sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(db, rc);
        }
    }

    private sqlite3_stmt Prepare(string sql) => SqliteRaw.Prepare(_connection.Handle!, sql, "storing an order's facts");

    private static void Check(sqlite3 db, int rc) => SqliteRaw.Check(db, rc, "storing an order's facts");
}
