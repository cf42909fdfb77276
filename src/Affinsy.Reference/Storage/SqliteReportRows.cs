using System.Runtime.CompilerServices;
using Affinsy.Reference.Reports;
using Affinsy.Reference.Reports.Streaming;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// A dataset's rows for a report: one range scan of <c>line_items</c> in key order (rows arrive grouped by order),
/// read as integers through SQLite directly (<see cref="SqliteColumns"/>), with only the columns the report needs. Product
/// names are read once per dataset, customer ids once when a scan first needs them (sorted ordinally so their numbers
/// compare as their ids); order ids only on demand. Runs inside one read transaction, so every pass of a report sees the same data.
/// </summary>
internal sealed partial class SqliteReportRows : IReportRows
{
    private readonly SqliteConnection _connection;
    private readonly long _datasetKey;
    private readonly string[] _productNames;
    private readonly KeyMap _products;
    private string[]? _customerIds;
    private KeyMap? _customers;

    public SqliteReportRows(SqliteConnection connection, long datasetKey)
    {
        _connection = connection;
        _datasetKey = datasetKey;
        (var productKeys, _productNames) = ReadKeys("SELECT product_key, name FROM products WHERE dataset_key = $k");
        _products = new KeyMap(productKeys);
    }

    public static SqliteReportRows Open(SqliteConnection connection, long datasetKey)
    {
        var rows = new SqliteReportRows(connection, datasetKey);
        ReportTimings.Mark("keys");
        return rows;
    }

    public int ProductCount => _productNames.Length;

    public int CustomerCount => CustomerIds.Length;

    public string ProductName(int product) => _productNames[product];

    public string CustomerId(int customer) => CustomerIds[customer];

    // Read on first use: a report of every order's basket never looks at customers (50,000 ids in the benchmark).
    private string[] CustomerIds
    {
        get
        {
            if (_customerIds is null)
            {
                (var customerKeys, var ids) = ReadKeys("SELECT customer_key, customer_id FROM customers WHERE dataset_key = $k");
                Array.Sort(ids, customerKeys, StringComparer.Ordinal);
                (_customers, _customerIds) = (new KeyMap(customerKeys), ids);
            }

            return _customerIds;
        }
    }

    public string OrderId(long orderKey)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT order_id FROM orders WHERE order_key = $o";
        cmd.Parameters.AddWithValue("$o", orderKey);
        return (string)cmd.ExecuteScalar()!;
    }

    public void Scan(RowFields fields, IOrderVisitor visitor, CancellationToken ct)
    {
        var facts = (fields & RowFields.CustomerAndDate) != 0;
        var amounts = (fields & RowFields.Amounts) != 0;
        if (facts && (fields & RowFields.NoProducts) != 0)
        {
            ScanOrderFacts(amounts, visitor, ct);
            return;
        }

        var customers = facts ? Customers : null;
        var sql = "SELECT order_key, product_key"
            + (facts ? ", customer_key, order_date" : ", NULL, NULL") // NULLs keep the amounts at columns 4 and 5
            + (amounts ? ", unit_price, quantity" : string.Empty)
            + " FROM line_items WHERE dataset_key = ?1";
        RunScan(sql, stmt => Rows(stmt, customers, amounts, new OrderGrouper(visitor, amounts), ct));
    }

    /// <summary>
    /// Prepares <paramref name="sql"/> (the dataset key bound to ?1) and hands the statement to <paramref name="steps"/>,
    /// the per-row loop, with one handle reference held for the whole scan (the column functions take the raw handle);
    /// fails unless the loop ends at SQLITE_DONE.
    /// </summary>
    private void RunScan(string sql, Func<sqlite3_stmt, int> steps)
    {
        var db = _connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var stmt));
        using (stmt)
        {
            Check(db, raw.sqlite3_bind_int64(stmt, 1, _datasetKey));
            var added = false;
            stmt.DangerousAddRef(ref added);
            try
            {
                var rc = steps(stmt);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(db, rc);
                }
            }
            finally
            {
                if (added)
                {
                    stmt.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Steps through the rows into the grouper; returns SQLite's last result code (SQLITE_DONE at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Rows(sqlite3_stmt stmt, KeyMap? customers, bool amounts, OrderGrouper grouper, CancellationToken ct)
    {
        var direct = SqliteColumns.Direct;
        var h = stmt.DangerousGetHandle();
        var rows = 0;
        int rc;
        while ((rc = direct ? SqliteColumns.Step(h) : raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
        {
            if ((++rows & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var customer = OrderFacts.NoCustomer;
            long? placed = null;
            if (customers is not null)
            {
                if (!IsNull(direct, h, stmt, 2))
                {
                    customer = customers[Int64(direct, h, stmt, 2)];
                }

                if (!IsNull(direct, h, stmt, 3))
                {
                    placed = Int64(direct, h, stmt, 3);
                }
            }

            grouper.Row(
                Int64(direct, h, stmt, 0),
                _products[Int64(direct, h, stmt, 1)],
                customer,
                placed,
                amounts ? Double(direct, h, stmt, 4) : 0,
                amounts ? Double(direct, h, stmt, 5) : 0);
        }

        grouper.Flush();
        return rc;
    }

    private static long Int64(bool direct, IntPtr h, sqlite3_stmt stmt, int column) =>
        direct ? SqliteColumns.Int64(h, column) : raw.sqlite3_column_int64(stmt, column);

    private static double Double(bool direct, IntPtr h, sqlite3_stmt stmt, int column) =>
        direct ? SqliteColumns.Double(h, column) : raw.sqlite3_column_double(stmt, column);

    private static bool IsNull(bool direct, IntPtr h, sqlite3_stmt stmt, int column) =>
        direct ? SqliteColumns.IsNull(h, column) : raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

    private (long[] Keys, string[] Texts) ReadKeys(string sql)
    {
        var keys = new List<long>();
        var texts = new List<string>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$k", _datasetKey);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            keys.Add(r.GetInt64(0));
            texts.Add(r.GetString(1));
        }

        return ([.. keys], [.. texts]);
    }

    private KeyMap Customers
    {
        get
        {
            _ = CustomerIds;
            return _customers!;
        }
    }

    private static void Check(sqlite3 db, int rc) => SqliteRaw.Check(db, rc, "reading a dataset's rows");

    /// <summary>Integer keys to their positions: an array over the key range when it is dense (the usual case), else a dictionary.</summary>
    private sealed class KeyMap
    {
        private readonly long _min;
        private readonly int[]? _dense;
        private readonly Dictionary<long, int>? _sparse;

        public KeyMap(long[] keys)
        {
            if (keys.Length == 0)
            {
                _dense = [];
                return;
            }

            _min = keys.Min();
            var range = keys.Max() - _min + 1;
            if (range <= (4L * keys.Length) + 4096)
            {
                _dense = new int[range];
                for (var i = 0; i < keys.Length; i++)
                {
                    _dense[keys[i] - _min] = i;
                }
            }
            else
            {
                _sparse = new Dictionary<long, int>(keys.Length);
                for (var i = 0; i < keys.Length; i++)
                {
                    _sparse[keys[i]] = i;
                }
            }
        }

        public int this[long key] => _dense is not null ? _dense[key - _min] : _sparse![key];
    }
}
