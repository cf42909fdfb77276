namespace Affinsy.Reference.Reports.Streaming;

/// <summary>Rows held in memory (tests, small inputs) as <see cref="IReportRows"/>: orders keyed by ordinal order id.</summary>
internal sealed class MemoryReportRows : IReportRows
{
    private readonly OrderLine[] _lines;
    private readonly string[] _orderIds;
    private readonly long[] _lineOrder;
    private readonly int[] _lineProduct;
    private readonly int[] _lineCustomer;
    private readonly string[] _products;
    private readonly string[] _customers;

    public MemoryReportRows(IReadOnlyList<OrderLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines = [.. lines];
        _orderIds = _lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _products = _lines.Select(l => l.ProductName).Distinct(StringComparer.Ordinal).ToArray();
        _customers = _lines.Where(l => l.CustomerId is not null).Select(l => l.CustomerId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var orderIndex = Index(_orderIds);
        var productIndex = Index(_products);
        var customerIndex = Index(_customers);
        _lineOrder = _lines.Select(l => (long)orderIndex[l.OrderId]).ToArray();
        _lineProduct = _lines.Select(l => productIndex[l.ProductName]).ToArray();
        _lineCustomer = _lines.Select(l => l.CustomerId is { } c ? customerIndex[c] : OrderFacts.NoCustomer).ToArray();
        var byOrder = Enumerable.Range(0, _lines.Length).OrderBy(i => _lineOrder[i]).ToArray();
        _lines = byOrder.Select(i => _lines[i]).ToArray();
        _lineOrder = byOrder.Select(i => _lineOrder[i]).ToArray();
        _lineProduct = byOrder.Select(i => _lineProduct[i]).ToArray();
        _lineCustomer = byOrder.Select(i => _lineCustomer[i]).ToArray();
    }

    public int ProductCount => _products.Length;

    public int CustomerCount => _customers.Length;

    public string ProductName(int product) => _products[product];

    public string CustomerId(int customer) => _customers[customer];

    public string OrderId(long orderKey) => _orderIds[orderKey];

    public void Scan(RowFields fields, IOrderVisitor visitor, CancellationToken ct)
    {
        var amounts = (fields & RowFields.Amounts) != 0;
        var facts = (fields & RowFields.CustomerAndDate) != 0;
        var grouper = new OrderGrouper(visitor, amounts);
        for (var i = 0; i < _lines.Length; i++)
        {
            var line = _lines[i];
            grouper.Row(
                _lineOrder[i],
                _lineProduct[i],
                facts ? _lineCustomer[i] : OrderFacts.NoCustomer,
                facts ? line.OrderDate?.ToUnixTimeMilliseconds() : null,
                line.UnitPrice,
                line.Quantity);
        }

        grouper.Flush();
    }

    private static Dictionary<string, int> Index(string[] values)
    {
        var index = new Dictionary<string, int>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            index[values[i]] = i;
        }

        return index;
    }
}
