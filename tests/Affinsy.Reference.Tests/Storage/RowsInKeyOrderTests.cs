using System.Globalization;
using Affinsy.Reference.Storage;
using CsCheck;
using Xunit;

namespace Affinsy.Reference.Tests.Storage;

/// <summary>
/// The store writes a request's rows in (order id, product name) ordinal order, which decides the integer keys new
/// orders and products get. Sorting by runs of one order must give exactly what sorting every row by both gives, for
/// requests as the parser hands them over: unique (order id, product name) pairs, an order's lines usually together, but
/// an order id may come back later in the request and an order may have more lines than the insertion sort takes.
/// </summary>
public sealed class RowsInKeyOrderTests
{
    // Ordinal order differs from arrival and from numeric order: "o10" < "o9", "P" < "p".
    private static readonly Gen<IngestRow[]> Requests = Gen.Select(
        Gen.Int[0, 40].Array[0, 60], Gen.Int[1, 40].Array[0, 60], (orders, lineCounts) => Request(orders, lineCounts));

    [Fact]
    public void Rows_come_out_as_a_full_sort_by_order_id_then_product_name_puts_them()
    {
        var order = new RowsInKeyOrder();
        Requests.Sample(rows =>
        {
            var expected = rows.Order(Comparer<IngestRow>.Create(static (a, b) =>
            {
                var byOrder = string.CompareOrdinal(a.OrderId, b.OrderId);
                return byOrder != 0 ? byOrder : string.CompareOrdinal(a.ProductName, b.ProductName);
            })).ToArray();
            var sorted = order.Sort(rows).ToArray();
            order.Forget(rows.Length);
            Assert.Equal(expected, sorted);
        }, iter: 500, threads: 1);
    }

    /// <summary>
    /// Runs of lines of the given order numbers (repeats allowed), product names unique per order as the parser leaves
    /// them; each run's lines in a shuffled name order.
    /// </summary>
    private static IngestRow[] Request(int[] orders, int[] lineCounts)
    {
        var rows = new List<IngestRow>();
        var used = new HashSet<(string, string)>();
        for (var r = 0; r < orders.Length; r++)
        {
            var orderId = "o" + orders[r].ToString(CultureInfo.InvariantCulture);
            var lines = r < lineCounts.Length ? lineCounts[r] : 1;
            for (var l = 0; l < lines; l++)
            {
                // Names from both cases and several lengths; a pair already in the request is skipped.
                var n = ((l * 7919) + (r * 31)) % 50;
                var product = (n % 2 == 0 ? "P" : "p") + n.ToString(CultureInfo.InvariantCulture);
                if (used.Add((orderId, product)))
                {
                    rows.Add(new IngestRow(orderId, null, null, product, l, 1));
                }
            }
        }

        return [.. rows];
    }
}
