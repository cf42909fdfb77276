namespace Affinsy.Reference.Mining;

/// <summary>
/// Collects baskets of product names and codes them as integers. A product repeated inside one basket
/// counts once, because a basket is the set of its distinct products.
/// </summary>
internal sealed class BasketSetBuilder
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _codesBySpan;
    private readonly List<string> _names = [];

    // Stamp of the basket that last saw each provisional code: deduplicates within a basket without a set per basket.
    private int[] _lastBasket = new int[64];
    private int[] _items = new int[1024];
    private int _itemCount;
    private readonly List<int> _basketEnds = [];

    public BasketSetBuilder()
    {
        _codesBySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Adds one basket. An empty basket still counts as a basket.</summary>
    public void Add(IEnumerable<string> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        foreach (var product in products)
        {
            ArgumentNullException.ThrowIfNull(product, nameof(products));
            AddItem(product.AsSpan());
        }

        EndBasket();
    }

    /// <summary>Adds one product to the basket being built; <see cref="EndBasket"/> closes it. Lets loaders avoid a string per item.</summary>
    public void AddItem(ReadOnlySpan<char> product)
    {
        if (!_codesBySpan.TryGetValue(product, out var code))
        {
            code = _names.Count;
            var name = product.ToString();
            _codes.Add(name, code);
            _names.Add(name);
            if (code >= _lastBasket.Length)
            {
                Array.Resize(ref _lastBasket, _lastBasket.Length * 2);
            }

            _lastBasket[code] = -1;
        }

        var basket = _basketEnds.Count;
        if (_lastBasket[code] == basket)
        {
            return;
        }

        _lastBasket[code] = basket;
        if (_itemCount == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_itemCount++] = code;
    }

    /// <summary>Closes the basket that <see cref="AddItem"/> has been filling.</summary>
    public void EndBasket() => _basketEnds.Add(_itemCount);

    /// <summary>
    /// Recodes items by ascending basket count (ties by name, ordinal) so that the frequent items at any
    /// threshold are one contiguous range of codes, and sorts each basket's codes.
    /// </summary>
    public BasketSet Build()
    {
        var distinct = _names.Count;
        var provisionalCounts = new int[distinct];
        for (var i = 0; i < _itemCount; i++)
        {
            provisionalCounts[_items[i]]++;
        }

        var order = new int[distinct];
        for (var i = 0; i < distinct; i++)
        {
            order[i] = i;
        }

        var names = _names;
        Array.Sort(order, (a, b) =>
        {
            var byCount = provisionalCounts[a].CompareTo(provisionalCounts[b]);
            return byCount != 0 ? byCount : string.CompareOrdinal(names[a], names[b]);
        });

        var recode = new int[distinct];
        var finalNames = new string[distinct];
        var finalCounts = new int[distinct];
        for (var code = 0; code < distinct; code++)
        {
            recode[order[code]] = code;
            finalNames[code] = names[order[code]];
            finalCounts[code] = provisionalCounts[order[code]];
        }

        var items = new int[_itemCount];
        for (var i = 0; i < _itemCount; i++)
        {
            items[i] = recode[_items[i]];
        }

        var offsets = new int[_basketEnds.Count + 1];
        for (var b = 0; b < _basketEnds.Count; b++)
        {
            offsets[b + 1] = _basketEnds[b];
            Array.Sort(items, offsets[b], offsets[b + 1] - offsets[b]);
        }

        return new BasketSet(finalNames, finalCounts, items, offsets);
    }
}
