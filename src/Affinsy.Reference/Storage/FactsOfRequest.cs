namespace Affinsy.Reference.Storage;

/// <summary>
/// Follows one request's rows, which come grouped by order, and brings each order's <c>order_facts</c> row up to date
/// once its last row is stored: from the rows themselves when the request created the order, else from the stored lines.
/// </summary>
internal sealed class FactsOfRequest(OrderFactsStatements statements, long datasetKey)
{
    private long _order;
    private bool _open;
    private bool _created;

    /// <summary>Call with each row before it is stored.</summary>
    public void Line(in IngestRow row, in LineKeys keys, bool orderCreated)
    {
        if (!_open || keys.Order != _order)
        {
            Flush();
            (_open, _order, _created) = (true, keys.Order, orderCreated);
            statements.Builder.Reset();
        }

        if (_created)
        {
            // + 0.0 turns -0.0 into 0.0, as storing a REAL in SQLite does (the stored line reads back as 0.0).
            statements.Builder.Line(keys.Product, row.CustomerId, keys.Customer, row.OrderDateUnixMs, row.UnitPrice + 0.0, row.Quantity + 0.0);
        }
    }

    /// <summary>Writes the last order's facts; call after its rows are stored.</summary>
    public void Flush()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        if (_created)
        {
            statements.Write(datasetKey, _order);
        }
        else
        {
            statements.Refresh(datasetKey, _order);
        }
    }
}
