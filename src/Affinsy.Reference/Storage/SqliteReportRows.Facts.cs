using System.Globalization;
using System.Runtime.CompilerServices;
using Affinsy.Reference.Reports.Streaming;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// The scan of a report that reads no products (<see cref="RowFields.NoProducts"/>): one row per order from
/// <c>order_facts</c>, which ingest keeps equal to what grouping the order's line items gives, in the same order.
/// </summary>
internal sealed partial class SqliteReportRows
{
    private void ScanOrderFacts(bool amounts, IOrderVisitor visitor, CancellationToken ct)
    {
        var customers = Customers;
        var sql = "SELECT order_key, customer_key, order_date"
            + (amounts ? ", spend, spend_scale" : string.Empty)
            + " FROM order_facts WHERE dataset_key = ?1";
        RunScan(sql, stmt => Orders(stmt, customers, amounts, visitor, ct));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Orders(sqlite3_stmt stmt, KeyMap customers, bool amounts, IOrderVisitor visitor, CancellationToken ct)
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

            var customer = IsNull(direct, h, stmt, 1) ? OrderFacts.NoCustomer : customers[Int64(direct, h, stmt, 1)];
            long? placed = IsNull(direct, h, stmt, 2) ? null : Int64(direct, h, stmt, 2);
            ExactSpend spend = default;
            var overflowed = false;
            if (amounts)
            {
                switch (direct ? SqliteColumns.Type(h, 3) : raw.sqlite3_column_type(stmt, 3))
                {
                    case raw.SQLITE_INTEGER:
                        spend = ExactSpend.FromUnits(Int64(direct, h, stmt, 3), (int)Int64(direct, h, stmt, 4));
                        break;
                    case raw.SQLITE_NULL:
                        overflowed = true;
                        break;
                    default:
                        // Past a long: the decimal as text (rare, so through SQLitePCL.raw).
                        spend = ExactSpend.FromDecimal(decimal.Parse(raw.sqlite3_column_text(stmt, 3).utf8_to_string(), NumberStyles.Number, CultureInfo.InvariantCulture));
                        break;
                }
            }

            visitor.Order(new OrderFacts(Int64(direct, h, stmt, 0), customer, placed, spend, overflowed), []);
        }

        return rc;
    }
}
