namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Pass 2 of an <see cref="OrderSpill"/>, one unit at a time across its partitions: a whole order (its line and all its
/// line items) or an orphan line, in the spill's deterministic order. The one reassembly loop the connector, its tests
/// and the benchmark share: the caller decides per unit whether to <see cref="Feed"/> it (a resumed export skips what
/// already landed) and where batches end (after an order, never inside one); <see cref="Lines"/> counts the unit's
/// result lines for the progress line's ETA.
/// </summary>
public sealed class SpilledOrders(OrderSpill spill)
{
    private int order = -1;
    private int orphan = -1;
    private bool loaded;

    /// <summary>The current unit is a line whose order is missing or repeated (dead-lettered), not an order.</summary>
    public bool IsOrphan { get; private set; }

    /// <summary>Result lines of the current unit: 1 for an orphan, 1 + its line items for an order.</summary>
    public int Lines { get; private set; }

    /// <summary>Moves to the next order, or orphan once a partition's orders are done; false after the last partition.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (loaded && order + 1 < spill.Orders.Count)
            {
                order++;
                IsOrphan = false;
                Lines = 1;
                for (var c = spill.Orders[order].FirstChild; c >= 0; c = spill.NextChild(c))
                {
                    Lines++;
                }

                return true;
            }

            if (loaded && orphan + 1 < spill.Orphans.Count)
            {
                orphan++;
                IsOrphan = true;
                Lines = 1;
                return true;
            }

            if (!spill.NextPartition())
            {
                return false;
            }

            (loaded, order, orphan) = (true, -1, -1);
        }
    }

    /// <summary>Hands the current unit to the parser: an order with all its lines (then completes it), or the orphan.</summary>
    public void Feed(BulkResultParser parser)
    {
        if (IsOrphan)
        {
            var line = spill.Orphans[orphan];
            parser.Orphan(spill.Line(line), line.LineNumber);
            return;
        }

        var group = spill.Orders[order];
        parser.Order(spill.Line(group.Order), spill.Fields(group.Order), group.Order.LineNumber);
        for (var c = group.FirstChild; c >= 0; c = spill.NextChild(c))
        {
            var child = spill.Child(c);
            parser.Child(spill.Line(child), spill.Fields(child), child.LineNumber);
        }

        parser.Complete();
    }
}
