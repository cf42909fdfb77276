namespace Affinsy.Reference.Storage;

/// <summary>
/// A request's rows sorted by order id then product name (ordinal), in buffers kept for the next request (the store's
/// writes are serialized, so one is enough): a fresh array per request would be a large-object-heap allocation.
/// A request carries an order's lines together, so the rows are cut into runs of one order id, the runs sorted by
/// order id (a few thousand instead of ten thousand rows) and each order's lines by product name. (order id, product
/// name) pairs are unique within a request (the parser keeps the last row of a repeated pair), so this is the one
/// order a sort of the rows by both gives, even when an order id comes back later in the request.
/// </summary>
internal sealed class RowsInKeyOrder
{
    /// <summary>An order's lines up to this many are sorted by insertion, more by the runtime's sort.</summary>
    private const int InsertionSortMax = 16;

    private IngestRow[] _sorted = [];
    private OrderRun[] _runs = [];

    /// <summary>The rows in key order, valid until the next call; call <see cref="Forget"/> when done.</summary>
    public ReadOnlySpan<IngestRow> Sort(IReadOnlyList<IngestRow> rows)
    {
        var count = rows.Count;
        if (_sorted.Length < count)
        {
            _sorted = new IngestRow[Math.Max(count, _sorted.Length * 2)];
            _runs = new OrderRun[_sorted.Length];
        }

        var runs = 0;
        for (var i = 0; i < count; i++)
        {
            var id = rows[i].OrderId;
            if (runs > 0 && Same(_runs[runs - 1].OrderId, id))
            {
                _runs[runs - 1] = _runs[runs - 1] with { Length = _runs[runs - 1].Length + 1 };
            }
            else
            {
                _runs[runs++] = new OrderRun(id, i, 1);
            }
        }

        var byOrder = _runs.AsSpan(0, runs);
        byOrder.Sort(static (a, b) => string.CompareOrdinal(a.OrderId, b.OrderId));
        var sorted = _sorted.AsSpan(0, count);
        int at = 0, orderStart = 0;
        for (var r = 0; r < byOrder.Length; r++)
        {
            if (r > 0 && !Same(byOrder[r - 1].OrderId, byOrder[r].OrderId))
            {
                ByProduct(sorted[orderStart..at]);
                orderStart = at;
            }

            for (var i = 0; i < byOrder[r].Length; i++)
            {
                sorted[at++] = rows[byOrder[r].Start + i];
            }
        }

        ByProduct(sorted[orderStart..at]);
        byOrder.Clear();
        return sorted;
    }

    /// <summary>Empties the sorted rows so the buffer holds no strings between requests.</summary>
    public void Forget(int count) => Array.Clear(_sorted, 0, Math.Min(count, _sorted.Length));

    private static bool Same(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    private static void ByProduct(Span<IngestRow> lines)
    {
        if (lines.Length > InsertionSortMax)
        {
            lines.Sort(static (a, b) => string.CompareOrdinal(a.ProductName, b.ProductName));
            return;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var j = i - 1;
            for (; j >= 0 && string.CompareOrdinal(lines[j].ProductName, line.ProductName) > 0; j--)
            {
                lines[j + 1] = lines[j];
            }

            lines[j + 1] = line;
        }
    }

    /// <summary>Rows <c>Start</c> to <c>Start + Length - 1</c> of the request, all of one order id.</summary>
    private readonly record struct OrderRun(string OrderId, int Start, int Length);
}
