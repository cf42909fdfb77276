using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

public sealed partial class ReferenceStore
{
    // Positional parameters: ?1 dataset key, ?2 order key, ?3 product key, ?4 price, ?5 quantity, ?6 customer key,
    // ?7 date, ?8 import seq. Insert first, update only on a conflict: a new row (the common case of a stream) costs one
    // B-tree insert and no RETURNING (which SQLite runs through a temporary table), and sqlite3_changes tells an insert
    // from an update. Order keys grow as orders arrive, so a stream of new orders appends at the end of the table.
    private const string InsertOrIgnoreSql = """
        INSERT INTO line_items (dataset_key, order_key, product_key, unit_price, quantity, customer_key, order_date, created_by)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT (dataset_key, order_key, product_key) DO NOTHING
        """;

    private const string UpdateOnlySql = """
        UPDATE line_items SET unit_price = ?4, quantity = ?5, customer_key = ?6, order_date = ?7
        WHERE dataset_key = ?1 AND order_key = ?2 AND product_key = ?3
        """;

    private const string InsertOnlySql = """
        INSERT INTO line_items (dataset_key, order_key, product_key, unit_price, quantity, customer_key, order_date, created_by)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        """;

    private readonly KeyCache _keyCache = new();
    private KeyStatements? _keyStatements;

    private RowStatements? _rowStatements;

    private OrderFactsStatements? _orderFacts;

    private readonly RowsInKeyOrder _keyOrder = new();

    /// <summary>
    /// Upserts the rows into the owner's dataset (created on first push) in one transaction.
    /// With a plan cap, once the owner's stored rows reach it new rows are skipped (rejected) while
    /// updates of existing rows still apply.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(string owner, long? planCap, string datasetId, IReadOnlyList<IngestRow> rows, CancellationToken ct)
    {
        var outcome = await IngestRowsAsync(owner, planCap, datasetId, rows, ct);
        RowsInserted.Add(outcome.Inserted);
        RowsUpdated.Add(outcome.Updated);
        return outcome;
    }

    /// <summary>New rows stored since start (committed), for tests to await instead of polling.</summary>
    public Http.CountSignal RowsInserted { get; } = new();

    /// <summary>Existing rows written again since start (reference-only: benchmarks count re-sent rows with it).</summary>
    public Http.CountSignal RowsUpdated { get; } = new();

    private async Task<IngestOutcome> IngestRowsAsync(string owner, long? planCap, string datasetId, IReadOnlyList<IngestRow> rows, CancellationToken ct)
    {
        try
        {
            return await UpsertAsync(owner, planCap, datasetId, rows, ct);
        }
        catch
        {
            // The transaction rolled back: keys cached during it may name rows that no longer exist.
            _keyCache.Clear();
            throw;
        }
    }

    private Task<IngestOutcome> UpsertAsync(string owner, long? planCap, string datasetId, IReadOnlyList<IngestRow> rows, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            var now = Now();
            var key = DatasetKey(c, owner, datasetId, tx) ?? CreateDataset(c, tx, owner, datasetId, now);
            var importId = NewId("imp_");
            long seq;
            using (var cmd = Command(c, "INSERT INTO imports (import_id, owner, dataset_id, status, created_at) VALUES ($i, $o, $d, 'completed', $t) RETURNING seq", tx))
            {
                cmd.Parameters.AddWithValue("$i", importId);
                cmd.Parameters.AddWithValue("$o", owner);
                cmd.Parameters.AddWithValue("$d", datasetId);
                cmd.Parameters.AddWithValue("$t", now);
                seq = (long)cmd.ExecuteScalar()!;
            }

            long ownerRows = 0;
            if (planCap is not null)
            {
                using var cmd = Command(c, "SELECT COALESCE(SUM(line_items), 0) FROM datasets WHERE owner = $o", tx);
                cmd.Parameters.AddWithValue("$o", owner);
                ownerRows = (long)cmd.ExecuteScalar()!;
            }

            long inserted = 0, updated = 0, rejected = 0;
            var statements = _rowStatements ??= new RowStatements(c);
            statements.Use(key, seq);
            var keys = new RowKeys(_keyStatements ??= new KeyStatements(c), _keyCache, key);
            if (planCap is null || ownerRows + rows.Count <= planCap)
            {
                // Rows in key order: neighbouring inserts touch the same B-tree pages. Keys are unique within a
                // request (the parser keeps the last row of a repeated pair), so the order changes no outcome.
                var facts = new FactsOfRequest(_orderFacts ??= new OrderFactsStatements(c), key);
                foreach (var row in _keyOrder.Sort(rows))
                {
                    var k = keys.Resolve(row, create: true);
                    facts.Line(row, k, keys.OrderCreated);
                    if (statements.Run(statements.InsertOrIgnore, row, k) > 0)
                    {
                        inserted++;
                    }
                    else
                    {
                        statements.Run(statements.Update, row, k);
                        updated++;
                    }
                }

                facts.Flush();
                _keyOrder.Forget(rows.Count);
            }
            else
            {
                // Near the cap each row must be known to exist before it may be written.
                // A rejected row leaves no order, product or customer key behind.
                var touched = new HashSet<long>();
                foreach (var row in rows)
                {
                    var found = keys.Resolve(row, create: false);
                    if (found.Complete && statements.Run(statements.Update, row, found) > 0)
                    {
                        touched.Add(found.Order);
                        updated++;
                    }
                    else if (ownerRows + inserted < planCap)
                    {
                        var created = keys.Resolve(row, create: true);
                        statements.Run(statements.Insert, row, created);
                        touched.Add(created.Order);
                        inserted++;
                    }
                    else
                    {
                        rejected++;
                    }
                }

                var orderFacts = _orderFacts ??= new OrderFactsStatements(c);
                foreach (var order in touched)
                {
                    orderFacts.Refresh(key, order);
                }
            }

            using (var cmd = Command(c, "UPDATE datasets SET line_items = line_items + $n, updated_at = $t WHERE dataset_key = $k", tx))
            {
                cmd.Parameters.AddWithValue("$n", inserted);
                cmd.Parameters.AddWithValue("$t", now);
                cmd.Parameters.AddWithValue("$k", key);
                cmd.ExecuteNonQuery();
            }

            using (var cmd = Command(c, "UPDATE imports SET inserted = $i, updated = $u, rejected = $r WHERE seq = $s", tx))
            {
                cmd.Parameters.AddWithValue("$i", inserted);
                cmd.Parameters.AddWithValue("$u", updated);
                cmd.Parameters.AddWithValue("$r", rejected);
                cmd.Parameters.AddWithValue("$s", seq);
                cmd.ExecuteNonQuery();
            }

            var warning = rejected == 0 ? null
                : $"Plan row limit reached: your plan stores at most {planCap} line-item rows. {rejected} new rows were not stored; updates of existing rows were applied. Upgrade your plan or delete a dataset to store more.";
            return new IngestOutcome(importId, inserted, updated, rejected, warning);
        }, ct);

    private static long CreateDataset(SqliteConnection c, SqliteTransaction tx, string owner, string datasetId, long now)
    {
        using var cmd = Command(c, "INSERT INTO datasets (owner, dataset_id, created_at, updated_at) VALUES ($o, $d, $t, $t) RETURNING dataset_key", tx);
        cmd.Parameters.AddWithValue("$o", owner);
        cmd.Parameters.AddWithValue("$d", datasetId);
        cmd.Parameters.AddWithValue("$t", now);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// The per-row statements, prepared once on the writer connection and driven through SQLite directly:
    /// binding integers by position avoids a data reader and name lookups per row. The dataset and the import, the
    /// same for every row of a request, are bound once per request (<see cref="Use"/>; SQLite keeps a binding until it
    /// is replaced). They are finalized when the writer connection closes.
    /// </summary>
    private sealed class RowStatements
    {
        private readonly SqliteConnection _connection;

        public RowStatements(SqliteConnection connection)
        {
            _connection = connection;
            InsertOrIgnore = Prepare(InsertOrIgnoreSql);
            Update = Prepare(UpdateOnlySql);
            Insert = Prepare(InsertOnlySql);
            SqliteRaw.FinalizeOnClose(connection, InsertOrIgnore, Update, Insert);
        }

        public sqlite3_stmt InsertOrIgnore { get; }

        public sqlite3_stmt Update { get; }

        public sqlite3_stmt Insert { get; }

        /// <summary>Binds the dataset (?1) and the import (?8, in the inserts) for the rows that follow.</summary>
        public void Use(long datasetKey, long seq)
        {
            var db = _connection.Handle!;
            foreach (var stmt in (ReadOnlySpan<sqlite3_stmt>)[InsertOrIgnore, Update, Insert])
            {
                Check(db, raw.sqlite3_bind_int64(stmt, 1, datasetKey));
            }

            Check(db, raw.sqlite3_bind_int64(InsertOrIgnore, 8, seq));
            Check(db, raw.sqlite3_bind_int64(Insert, 8, seq));
        }

        /// <summary>Binds the row, runs the statement and returns how many rows it changed.</summary>
        public int Run(sqlite3_stmt stmt, in IngestRow row, in LineKeys keys)
        {
            var db = _connection.Handle!;
            BindRow(db, stmt, row, keys);
            var rc = raw.sqlite3_step(stmt);
            raw.sqlite3_reset(stmt);
            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }

            return raw.sqlite3_changes(db);
        }

        private static void BindRow(sqlite3 db, sqlite3_stmt stmt, in IngestRow row, in LineKeys keys)
        {
            Check(db, raw.sqlite3_bind_int64(stmt, 2, keys.Order));
            Check(db, raw.sqlite3_bind_int64(stmt, 3, keys.Product));
            Check(db, raw.sqlite3_bind_double(stmt, 4, row.UnitPrice));
            Check(db, raw.sqlite3_bind_double(stmt, 5, row.Quantity));
            Check(db, keys.Customer is { } customer ? raw.sqlite3_bind_int64(stmt, 6, customer) : raw.sqlite3_bind_null(stmt, 6));

            Check(db, row.OrderDateUnixMs is { } date ? raw.sqlite3_bind_int64(stmt, 7, date) : raw.sqlite3_bind_null(stmt, 7));
        }

        private sqlite3_stmt Prepare(string sql) => SqliteRaw.Prepare(_connection.Handle!, sql, "storing a row");

        private static void Check(sqlite3 db, int rc) => SqliteRaw.Check(db, rc, "storing a row");
    }
}
