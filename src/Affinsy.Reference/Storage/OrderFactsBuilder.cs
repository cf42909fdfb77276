using Affinsy.Reference.Reports.Streaming;

namespace Affinsy.Reference.Storage;

/// <summary>
/// Resolves one order's line items into the facts a report reads from them, exactly as a scan of the line items does
/// (<see cref="OrderGrouper"/>, <see cref="Reports.OrderAssembly"/>): the ordinal-smallest non-null customer id, the
/// latest non-null order date, and the decimal sum of unit_price x quantity, summed in product key order as the scan
/// meets the lines (overflow recorded, not thrown). Reused from order to order: no allocation per order.
/// </summary>
internal sealed class OrderFactsBuilder
{
    private Amount[] _amounts = new Amount[16];
    private int _count;
    private string? _customerId;

    public long? CustomerKey { get; private set; }

    public long? DateMs { get; private set; }

    public int Lines => _count;

    public void Reset()
    {
        (_count, _customerId, CustomerKey, DateMs) = (0, null, null, null);
    }

    public void Line(long productKey, string? customerId, long? customerKey, long? dateMs, double unitPrice, double quantity)
    {
        if (_count == _amounts.Length)
        {
            Array.Resize(ref _amounts, _count * 2);
        }

        _amounts[_count++] = new Amount(productKey, unitPrice, quantity);
        if (customerId is not null && (_customerId is null || string.CompareOrdinal(customerId, _customerId) < 0))
        {
            (_customerId, CustomerKey) = (customerId, customerKey);
        }

        if (dateMs is { } ms && (DateMs is null || ms > DateMs))
        {
            DateMs = ms;
        }
    }

    /// <summary>The order's spend, summed in product key order; false when the decimal sum overflowed.</summary>
    public bool TrySpend(out ExactSpend spend)
    {
        // Lines arrive in product key order from the store and in product name order from a request: a few per order,
        // so an insertion sort is the cheap way to the scan's order (it matters only once the sum is past a long).
        if (_count > 32)
        {
            Array.Sort(_amounts, 0, _count, ByProduct.Instance);
        }
        else
        {
            InsertionSort();
        }

        spend = default;
        try
        {
            for (var i = 0; i < _count; i++)
            {
                spend.AddProduct(_amounts[i].UnitPrice, _amounts[i].Quantity);
            }

            return true;
        }
        catch (OverflowException)
        {
            spend = default;
            return false;
        }
    }

    private void InsertionSort()
    {
        for (var i = 1; i < _count; i++)
        {
            var a = _amounts[i];
            var j = i - 1;
            for (; j >= 0 && _amounts[j].Product > a.Product; j--)
            {
                _amounts[j + 1] = _amounts[j];
            }

            _amounts[j + 1] = a;
        }
    }

    private readonly record struct Amount(long Product, double UnitPrice, double Quantity);

    private sealed class ByProduct : IComparer<Amount>
    {
        public static readonly ByProduct Instance = new();

        public int Compare(Amount x, Amount y) => x.Product.CompareTo(y.Product);
    }
}
