using Microsoft.Data.Sqlite;

namespace Affinsy.Reference.Storage;

internal sealed partial class ReferenceStore
{
    private const string UpsertSql = """
        INSERT INTO order_rows (dataset_key, order_id, product_name, unit_price, quantity, customer_id, order_date, created_by)
        VALUES ($k, $o, $p, $price, $qty, $c, $date, $seq)
        ON CONFLICT (dataset_key, order_id, product_name) DO UPDATE SET
            unit_price = excluded.unit_price, quantity = excluded.quantity,
            customer_id = excluded.customer_id, order_date = excluded.order_date
        RETURNING created_by
        """;

    private const string UpdateOnlySql = """
        UPDATE order_rows SET unit_price = $price, quantity = $qty, customer_id = $c, order_date = $date
        WHERE dataset_key = $k AND order_id = $o AND product_name = $p
        """;

    private const string InsertOnlySql = """
        INSERT INTO order_rows (dataset_key, order_id, product_name, unit_price, quantity, customer_id, order_date, created_by)
        VALUES ($k, $o, $p, $price, $qty, $c, $date, $seq)
        """;

    private RowStatement? _upsert;
    private RowStatement? _updateOnly;
    private RowStatement? _insertOnly;

    /// <summary>
    /// Upserts the rows into the owner's dataset (created on first push) in one transaction.
    /// With a plan cap, once the owner's stored rows reach it new rows are skipped (rejected) while
    /// updates of existing rows still apply.
    /// </summary>
    public Task<IngestOutcome> IngestAsync(string owner, long? planCap, string datasetId, IReadOnlyList<IngestRow> rows, CancellationToken ct) =>
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
            if (planCap is null || ownerRows + rows.Count <= planCap)
            {
                var upsert = _upsert ??= new RowStatement(c, UpsertSql);
                upsert.Bind(tx, key, seq);
                foreach (var row in rows)
                {
                    if ((long)upsert.Run(row, scalar: true)! == seq)
                    {
                        inserted++;
                    }
                    else
                    {
                        updated++;
                    }
                }
            }
            else
            {
                // Near the cap each row must be known to exist before it may be written.
                var update = _updateOnly ??= new RowStatement(c, UpdateOnlySql);
                var insert = _insertOnly ??= new RowStatement(c, InsertOnlySql);
                update.Bind(tx, key, seq);
                insert.Bind(tx, key, seq);
                foreach (var row in rows)
                {
                    if ((int)update.Run(row, scalar: false)! > 0)
                    {
                        updated++;
                    }
                    else if (ownerRows + inserted < planCap)
                    {
                        insert.Run(row, scalar: false);
                        inserted++;
                    }
                    else
                    {
                        rejected++;
                    }
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

    /// <summary>A prepared per-row statement reused across requests on the writer connection.</summary>
    private sealed class RowStatement
    {
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter _order, _product, _price, _qty, _customer, _date;

        public RowStatement(SqliteConnection c, string sql)
        {
            _cmd = c.CreateCommand();
            _cmd.CommandText = sql;
            _cmd.Parameters.Add(new SqliteParameter("$k", SqliteType.Integer));
            _cmd.Parameters.Add(new SqliteParameter("$seq", SqliteType.Integer));
            _order = _cmd.Parameters.Add("$o", SqliteType.Text);
            _product = _cmd.Parameters.Add("$p", SqliteType.Text);
            _price = _cmd.Parameters.Add("$price", SqliteType.Real);
            _qty = _cmd.Parameters.Add("$qty", SqliteType.Real);
            _customer = _cmd.Parameters.Add("$c", SqliteType.Text);
            _date = _cmd.Parameters.Add("$date", SqliteType.Integer);
        }

        public void Bind(SqliteTransaction tx, long datasetKey, long seq)
        {
            _cmd.Transaction = tx;
            _cmd.Parameters["$k"].Value = datasetKey;
            _cmd.Parameters["$seq"].Value = seq;
        }

        public object? Run(IngestRow row, bool scalar)
        {
            _order.Value = row.OrderId;
            _product.Value = row.ProductName;
            _price.Value = row.UnitPrice;
            _qty.Value = row.Quantity;
            _customer.Value = Db(row.CustomerId);
            _date.Value = row.OrderDateUnixMs is { } d ? d : DBNull.Value;
            return scalar ? _cmd.ExecuteScalar() : _cmd.ExecuteNonQuery();
        }
    }
}
