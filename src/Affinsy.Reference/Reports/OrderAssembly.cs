namespace Affinsy.Reference.Reports;

/// <summary>
/// Groups stored rows (one per order and product) into orders.
/// </summary>
/// <remarks>
/// Rows of one order normally agree on customer_id and order_date. When updates left them disagreeing,
/// the order takes the ordinal-smallest non-null customer_id and the latest non-null order_date, so the
/// result never depends on the order the storage returns rows in.
/// </remarks>
internal static class OrderAssembly
{
    internal static List<SelectedOrder> Build(IReadOnlyList<OrderLine> lines)
    {
        var byId = new Dictionary<string, Draft>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!byId.TryGetValue(line.OrderId, out var draft))
            {
                draft = new Draft();
                byId.Add(line.OrderId, draft);
            }

            draft.Add(line);
        }

        var orders = new List<SelectedOrder>(byId.Count);
        foreach (var (orderId, draft) in byId)
        {
            orders.Add(draft.ToOrder(orderId));
        }

        orders.Sort(static (a, b) => string.CompareOrdinal(a.OrderId, b.OrderId));
        return orders;
    }

    private sealed class Draft
    {
        private readonly List<string> _products = new(4);
        private string? _customerId;
        private DateTimeOffset? _orderDate;
        private decimal _spend;
        private bool _overflowed;

        public void Add(OrderLine line)
        {
            _products.Add(line.ProductName);
            if (line.CustomerId is { } customer
                && (_customerId is null || string.CompareOrdinal(customer, _customerId) < 0))
            {
                _customerId = customer;
            }

            if (line.OrderDate is { } date && (_orderDate is null || date > _orderDate))
            {
                _orderDate = date;
            }

            if (!_overflowed)
            {
                try
                {
                    // double -> decimal keeps 15 significant digits, so 0.1 becomes exactly 0.1.
                    _spend += (decimal)line.UnitPrice * (decimal)line.Quantity;
                }
                catch (OverflowException)
                {
                    _overflowed = true;
                }
            }
        }

        public SelectedOrder ToOrder(string orderId)
        {
            _products.Sort(StringComparer.Ordinal);
            var distinct = 0;
            for (var i = 0; i < _products.Count; i++)
            {
                if (distinct == 0 || !string.Equals(_products[distinct - 1], _products[i], StringComparison.Ordinal))
                {
                    _products[distinct++] = _products[i];
                }
            }

            var products = _products.GetRange(0, distinct).ToArray();
            return new SelectedOrder(orderId, _customerId, _orderDate, products)
            {
                SpendOrOverflow = _overflowed ? null : _spend,
            };
        }
    }
}
