using System.Runtime.CompilerServices;
using Affinsy.Reference.Mining;

namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// The MBA report streamed: orders go straight from the rows into the basket builder as integer codes (a product's
/// name is created once, when it first enters a basket). The <c>all</c> scope takes one pass; the others first read each
/// customer's history (<see cref="CustomerHistory"/>), then stream again. Customer baskets are gathered as (customer,
/// product) codes and laid out per customer at the end. Same baskets as <see cref="ReportSelection.MbaBaskets"/>.
/// </summary>
internal sealed class MbaStream : IOrderVisitor
{
    private readonly IReportRows _rows;
    private readonly DateWindow _window;
    private readonly CustomerHistory? _history;
    private readonly BasketScope _scope;
    private readonly BasketSetBuilder _builder = new();
    private readonly int[] _codes;
    private int[] _pairs = new int[1024]; // customer, product, customer, product, ...
    private int _pairCount;

    private MbaStream(IReportRows rows, DateWindow window, CustomerHistory? history, BasketScope scope)
    {
        (_rows, _window, _history, _scope) = (rows, window, history, scope);
        _codes = new int[rows.ProductCount];
        Array.Fill(_codes, -1);
    }

    public static BasketSet Baskets(IReportRows rows, ReportSpec spec, CancellationToken ct)
    {
        var p = spec.Mba!;
        var window = DateWindow.Of(spec);
        var history = p.CustomerScope == CustomerScope.All ? null : CustomerHistory.Read(rows, window, p.CustomerScope, ct);
        var stream = new MbaStream(rows, window, history, p.Scope);
        // Order baskets of every order need neither customer nor date: the scan then reads two integers a row.
        var bare = history is null && p.Scope == BasketScope.Order && window == default;
        rows.Scan(bare ? RowFields.ProductsOnly : RowFields.CustomerAndDate, stream, ct);
        ReportTimings.Mark("scan");
        if (p.Scope == BasketScope.Customer)
        {
            stream.CustomerBaskets();
        }

        var baskets = stream._builder.Build();
        ReportTimings.Mark("baskets");
        return baskets;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Order(in OrderFacts order, ReadOnlySpan<int> products)
    {
        if (!_window.Admits(order) || (_history is not null && !_history.Keeps(order)))
        {
            return;
        }

        if (_scope == BasketScope.Order)
        {
            foreach (var product in products)
            {
                _builder.AddCode(Code(product));
            }

            _builder.EndBasket();
        }
        else if (order.Customer >= 0)
        {
            if (_pairCount + (2 * products.Length) > _pairs.Length)
            {
                Array.Resize(ref _pairs, Math.Max(_pairs.Length * 2, _pairCount + (2 * products.Length)));
            }

            foreach (var product in products)
            {
                _pairs[_pairCount++] = order.Customer;
                _pairs[_pairCount++] = product;
            }
        }
    }

    private int Code(int product)
    {
        var code = _codes[product];
        return code >= 0 ? code : _codes[product] = _builder.Register(_rows.ProductName(product));
    }

    /// <summary>One basket per customer, in customer order, by a counting sort of the gathered pairs.</summary>
    private void CustomerBaskets()
    {
        var starts = new int[_rows.CustomerCount + 1];
        for (var i = 0; i < _pairCount; i += 2)
        {
            starts[_pairs[i] + 1]++;
        }

        for (var c = 0; c < _rows.CustomerCount; c++)
        {
            starts[c + 1] += starts[c];
        }

        var fill = (int[])starts.Clone();
        var products = new int[_pairCount / 2];
        for (var i = 0; i < _pairCount; i += 2)
        {
            products[fill[_pairs[i]]++] = _pairs[i + 1];
        }

        _pairs = [];
        for (var c = 0; c < _rows.CustomerCount; c++)
        {
            if (starts[c] == starts[c + 1])
            {
                continue;
            }

            for (var i = starts[c]; i < starts[c + 1]; i++)
            {
                _builder.AddCode(Code(products[i]));
            }

            _builder.EndBasket();
        }
    }
}
