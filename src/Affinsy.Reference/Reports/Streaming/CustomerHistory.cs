namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// First pass of a scoped MBA report: per customer what its scope asks about (earliest dated order, latest date,
/// total spend), and the reference date, over the orders the date filter admits. As <see cref="ReportInput"/> defines them.
/// </summary>
internal sealed class CustomerHistory : IOrderVisitor
{
    private readonly IReportRows _rows;
    private readonly DateWindow _window;
    private readonly CustomerScope _scope;
    private readonly long[] _earliestMs;
    private readonly long[] _earliestKey;
    private readonly int[] _latestDay;
    private readonly ExactSpend[] _spend;
    private readonly bool[] _seen;

    private CustomerHistory(IReportRows rows, DateWindow window, CustomerScope scope)
    {
        (_rows, _window, _scope) = (rows, window, scope);
        var n = rows.CustomerCount;
        (_earliestMs, _earliestKey, _latestDay, _spend, _seen) = (new long[n], new long[n], new int[n], new ExactSpend[n], new bool[n]);
    }

    /// <summary>The latest admitted order date, as a day number.</summary>
    public int? ReferenceDay { get; private set; }

    /// <summary>Smallest spend that is in the top 20% (high_value); null when no customer has an order.</summary>
    public decimal? SpendCut { get; private set; }

    public static CustomerHistory Read(IReportRows rows, DateWindow window, CustomerScope scope, CancellationToken ct)
    {
        var history = new CustomerHistory(rows, window, scope);
        var fields = scope == CustomerScope.HighValue ? RowFields.CustomerAndDate | RowFields.Amounts : RowFields.CustomerAndDate;
        rows.Scan(fields | RowFields.NoProducts, history, ct);
        ReportTimings.Mark("history");
        if (scope == CustomerScope.HighValue)
        {
            history.SpendCut = history.Cut();
        }

        return history;
    }

    public void Order(in OrderFacts order, ReadOnlySpan<int> products)
    {
        if (!_window.Admits(order))
        {
            return;
        }

        var day = order.Day;
        if (day is { } d && !(ReferenceDay >= d))
        {
            ReferenceDay = d;
        }

        var c = order.Customer;
        if (c < 0)
        {
            return;
        }

        if (_scope == CustomerScope.HighValue)
        {
            _spend[c].Add(order.SpendOverflowed ? throw SelectedOrder.SpendTooLarge(_rows.OrderId(order.Key)) : order.Spend);
            _seen[c] = true;
        }
        else if (order.PlacedMs is { } placed)
        {
            if (!_seen[c] || placed < _earliestMs[c]
                || (placed == _earliestMs[c] && string.CompareOrdinal(_rows.OrderId(order.Key), _rows.OrderId(_earliestKey[c])) < 0))
            {
                (_earliestMs[c], _earliestKey[c]) = (placed, order.Key);
            }

            _latestDay[c] = _seen[c] ? Math.Max(_latestDay[c], day!.Value) : day!.Value;
            _seen[c] = true;
        }
    }

    /// <summary>Whether the scope keeps an admitted order.</summary>
    public bool Keeps(in OrderFacts order)
    {
        var c = order.Customer;
        return _scope switch
        {
            CustomerScope.All => true,
            _ when c < 0 => false,
            CustomerScope.HighValue => _spend[c].Value >= SpendCut,
            _ when order.PlacedMs is null => false,
            CustomerScope.FirstOrder => _earliestKey[c] == order.Key,
            CustomerScope.Repeat => _earliestKey[c] != order.Key,
            CustomerScope.Churning => ReferenceDay!.Value - _latestDay[c] > ReportInput.ChurnDays,
            _ => throw new ArgumentOutOfRangeException(nameof(order), _scope, "Not an MBA customer scope."),
        };
    }

    private decimal? Cut()
    {
        var spends = new List<decimal>();
        for (var c = 0; c < _seen.Length; c++)
        {
            if (_seen[c])
            {
                spends.Add(_spend[c].Value);
            }
        }

        if (spends.Count == 0)
        {
            return null;
        }

        spends.Sort(static (a, b) => b.CompareTo(a));
        return spends[((spends.Count + 4) / 5) - 1]; // ceil(0.2 x customers), exact in integers
    }
}
