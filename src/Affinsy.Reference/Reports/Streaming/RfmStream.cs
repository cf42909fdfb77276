using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// The RFM report in one pass over the rows: each order is folded into its customer's recency, frequency and spend as
/// it streams by, so memory is per customer, not per row. Same results as <see cref="RfmReport"/> over
/// <see cref="ReportInput"/>'s selection: only orders with a customer and a date count; new_90d keeps the customers
/// whose first dated order is within 90 days of the reference date.
/// </summary>
internal sealed class RfmStream : IOrderVisitor
{
    private readonly IReportRows _rows;
    private readonly DateWindow _window;
    private readonly int[] _first;
    private readonly int[] _latest;
    private readonly int[] _orders;
    private readonly ExactSpend[] _spend;
    private readonly Dictionary<int, long> _overflowed = [];
    private int? _reference;

    private RfmStream(IReportRows rows, DateWindow window)
    {
        _rows = rows;
        _window = window;
        _first = new int[rows.CustomerCount];
        _latest = new int[rows.CustomerCount];
        _orders = new int[rows.CustomerCount];
        _spend = new ExactSpend[rows.CustomerCount];
    }

    public static RfmResults Compute(IReportRows rows, ReportSpec spec, CancellationToken ct)
    {
        var stream = new RfmStream(rows, DateWindow.Of(spec));
        rows.Scan(RowFields.CustomerAndDate | RowFields.Amounts | RowFields.NoProducts, stream, ct);
        ReportTimings.Mark("scan");
        var results = stream.Results(spec.Rfm!);
        ReportTimings.Mark("score");
        return results;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Order(in OrderFacts order, ReadOnlySpan<int> products)
    {
        if (!_window.Admits(order))
        {
            return;
        }

        if (order.Day is not { } day)
        {
            return;
        }

        _reference = _reference is { } r && r >= day ? r : day;
        var c = order.Customer;
        if (c < 0)
        {
            return;
        }

        if (_orders[c]++ == 0)
        {
            (_first[c], _latest[c]) = (day, day);
        }
        else
        {
            (_first[c], _latest[c]) = (Math.Min(_first[c], day), Math.Max(_latest[c], day));
        }

        if (order.SpendOverflowed)
        {
            // Fails the report only if the customer is scored (new_90d may leave it out), as the selection would.
            _overflowed.TryAdd(c, order.Key);
            return;
        }

        try
        {
            _spend[c].Add(order.Spend);
        }
        catch (OverflowException)
        {
            _overflowed.TryAdd(c, -1);
        }
    }

    private RfmResults Results(RfmParams parameters)
    {
        DateOnly? reference = _reference is { } r ? DateOnly.FromDayNumber(r) : null;
        var measures = new List<RfmReport.CustomerMeasure>();
        for (var c = 0; c < _orders.Length; c++)
        {
            if (_orders[c] == 0
                || (parameters.CustomerScope == CustomerScope.New90d && _reference - _first[c] > ReportInput.NewCustomerDays))
            {
                continue;
            }

            if (_overflowed.TryGetValue(c, out var orderKey))
            {
                throw orderKey >= 0 ? SelectedOrder.SpendTooLarge(_rows.OrderId(orderKey)) : new OverflowException();
            }

            measures.Add(new RfmReport.CustomerMeasure(_rows.CustomerId(c), DateOnly.FromDayNumber(_latest[c]), _orders[c], _spend[c].Value));
        }

        return RfmReport.Score(measures, reference, parameters.Bins);
    }
}
