using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// Turns rows that arrive grouped by order into orders, holding only the current order's products. Rows of one order
/// that disagree resolve as <see cref="OrderAssembly"/> does: smallest customer, latest date, summed spend.
/// </summary>
internal sealed class OrderGrouper(IOrderVisitor visitor, bool amounts)
{
    private int[] _products = new int[64];
    private int _count;
    private long _key;
    private bool _open;
    private int _customer;
    private long? _placed;
    private ExactSpend _spend;
    private bool _overflowed;

    // Hot loops skip tiering (AggressiveOptimization): they run millions of times from a report's first row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Row(long orderKey, int product, int customer, long? placedMs, double unitPrice, double quantity)
    {
        if (!_open || orderKey != _key)
        {
            Flush();
            (_open, _key, _count, _customer, _placed, _spend, _overflowed) = (true, orderKey, 0, OrderFacts.NoCustomer, null, default, false);
        }

        if (_count == _products.Length)
        {
            Array.Resize(ref _products, _count * 2);
        }

        _products[_count++] = product;
        if (customer >= 0 && (_customer < 0 || customer < _customer))
        {
            _customer = customer;
        }

        if (placedMs is { } ms && (_placed is null || ms > _placed))
        {
            _placed = ms;
        }

        if (amounts && !_overflowed)
        {
            try
            {
                // double -> decimal keeps 15 significant digits, so 0.1 becomes exactly 0.1 (ExactSpend does the same in a long).
                _spend.AddProduct(unitPrice, quantity);
            }
            catch (OverflowException)
            {
                _overflowed = true;
            }
        }
    }

    /// <summary>Hands over the order being built, if any; call once after the last row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush()
    {
        if (_open)
        {
            _open = false;
            visitor.Order(new OrderFacts(_key, _customer, _placed, _spend, _overflowed), _products.AsSpan(0, _count));
        }
    }
}
