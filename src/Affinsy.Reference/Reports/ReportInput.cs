namespace Affinsy.Reference.Reports;

/// <summary>
/// Chooses a report's orders from a dataset's rows: the date filter, then the reference date, then the
/// customer scope exactly as the contract defines it.
/// </summary>
/// <remarks>
/// Choices the contract leaves open, fixed here:
/// <list type="bullet">
/// <item>Dates are UTC calendar dates; filters are inclusive at both ends and, when given, leave out orders without an order_date.</item>
/// <item>Scopes other than <c>all</c> leave out orders without a customer_id.</item>
/// <item>The time-ordered scopes (first_order, repeat, churning, new_90d) also leave out orders without an
/// order_date, which cannot be placed before or after another; high_value counts them (spend needs no date).</item>
/// <item>first_order: the earliest order_date instant, ties by order_id ordinal; repeat: every other dated order.</item>
/// <item>high_value: K = ceil(C / 5) of the C customers (at least 1); everyone whose spend is at least the
/// K-th highest spend is in, so ties at the cut are all kept.</item>
/// <item>churning: latest order date more than 180 days before the reference date (exactly 180 is not churning).</item>
/// <item>new_90d: first order date at most 90 days before the reference date (exactly 90 is new).</item>
/// </list>
/// </remarks>
internal static class ReportInput
{
    internal const int ChurnDays = 180;
    internal const int NewCustomerDays = 90;

    internal static ReportSelection Select(ReportSpec spec, IReadOnlyList<OrderLine> lines)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Select(lines, spec.DateStart, spec.DateEnd, spec.CustomerScope);
    }

    internal static ReportSelection Select(
        IReadOnlyList<OrderLine> lines, DateOnly? start, DateOnly? end, CustomerScope scope)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var orders = OrderAssembly.Build(lines);
        if (start is not null || end is not null)
        {
            orders.RemoveAll(o => o.Date is not { } date || date < start || date > end);
        }

        DateOnly? reference = null;
        foreach (var order in orders)
        {
            if (order.Date > reference || (reference is null && order.Date is not null))
            {
                reference = order.Date;
            }
        }

        var selected = scope switch
        {
            CustomerScope.All => orders,
            CustomerScope.FirstOrder => FirstOrders(orders, first: true),
            CustomerScope.Repeat => FirstOrders(orders, first: false),
            CustomerScope.HighValue => HighValue(orders),
            CustomerScope.Churning => ByDatedHistory(
                orders, h => reference!.Value.DayNumber - h.Latest.DayNumber > ChurnDays),
            CustomerScope.New90d => ByDatedHistory(
                orders, h => reference!.Value.DayNumber - h.First.DayNumber <= NewCustomerDays),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a customer scope."),
        };

        return new ReportSelection(selected, reference);
    }

    /// <summary>Each customer's earliest dated order (<paramref name="first"/>), or all its other dated orders.</summary>
    private static List<SelectedOrder> FirstOrders(List<SelectedOrder> orders, bool first)
    {
        var earliest = new Dictionary<string, SelectedOrder>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (order is not { CustomerId: { } customer, OrderDate: { } placed })
            {
                continue;
            }

            if (!earliest.TryGetValue(customer, out var current)
                || placed < current.OrderDate
                || (placed == current.OrderDate && string.CompareOrdinal(order.OrderId, current.OrderId) < 0))
            {
                earliest[customer] = order;
            }
        }

        return orders
            .Where(o => o is { CustomerId: { } c, OrderDate: not null }
                && ReferenceEquals(earliest[c], o) == first)
            .ToList();
    }

    private static List<SelectedOrder> HighValue(List<SelectedOrder> orders)
    {
        var spend = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (order.CustomerId is { } customer)
            {
                spend[customer] = spend.GetValueOrDefault(customer) + order.Spend;
            }
        }

        if (spend.Count == 0)
        {
            return [];
        }

        var ranked = spend.Values.ToArray();
        Array.Sort(ranked, static (a, b) => b.CompareTo(a));
        var top = (spend.Count + 4) / 5; // ceil(0.2 x customers), exact in integers
        var cut = ranked[top - 1];
        return orders.Where(o => o.CustomerId is { } c && spend[c] >= cut).ToList();
    }

    /// <summary>Every dated order of the customers whose dated history passes <paramref name="keep"/>.</summary>
    private static List<SelectedOrder> ByDatedHistory(List<SelectedOrder> orders, Func<DatedHistory, bool> keep)
    {
        var histories = new Dictionary<string, DatedHistory>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (order is { CustomerId: { } customer, Date: { } date })
            {
                histories[customer] = histories.TryGetValue(customer, out var h)
                    ? new DatedHistory(date < h.First ? date : h.First, date > h.Latest ? date : h.Latest)
                    : new DatedHistory(date, date);
            }
        }

        // No dated order means no history: the reference date is then never needed.
        return orders.Where(o => o is { CustomerId: { } c, Date: not null } && keep(histories[c])).ToList();
    }

    private readonly record struct DatedHistory(DateOnly First, DateOnly Latest);
}
