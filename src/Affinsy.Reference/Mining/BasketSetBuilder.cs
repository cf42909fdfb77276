using System.Runtime.CompilerServices;

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
            code = Register(product.ToString());
        }

        AddCode(code);
    }

    /// <summary>
    /// The provisional code of a product this builder has not seen yet. Lets a loader keep its own cheaper map
    /// (item ids through an array) and hand over only codes; the name is created once per distinct product.
    /// </summary>
    public int Register(string product)
    {
        var code = _names.Count;
        _codes.Add(product, code);
        _names.Add(product);
        if (code >= _lastBasket.Length)
        {
            Array.Resize(ref _lastBasket, _lastBasket.Length * 2);
        }

        _lastBasket[code] = -1;
        return code;
    }

    /// <summary>Adds a product by the code <see cref="Register"/> or <see cref="AddItem"/> gave it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddCode(int code)
    {
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
    /// threshold are one contiguous range of codes, and lays each basket's codes out ascending.
    /// </summary>
    public BasketSet Build()
    {
        var distinct = _names.Count;
        var provisionalCounts = CountItems(distinct);

        // One ordinal sort by name; a stable counting sort by count on top of it gives (count, name) order.
        var names = _names.ToArray();
        var sortedNames = (string[])names.Clone();
        var byNameProvisional = new int[distinct];
        for (var i = 0; i < distinct; i++)
        {
            byNameProvisional[i] = i;
        }

        Array.Sort(sortedNames, byNameProvisional, StringComparer.Ordinal);
        var order = StableByCount(byNameProvisional, provisionalCounts);

        var recode = new int[distinct];
        var finalNames = new string[distinct];
        var finalCounts = new int[distinct];
        for (var code = 0; code < distinct; code++)
        {
            recode[order[code]] = code;
            finalNames[code] = names[order[code]];
            finalCounts[code] = provisionalCounts[order[code]];
        }

        var byName = new int[distinct];
        for (var rank = 0; rank < distinct; rank++)
        {
            byName[rank] = recode[byNameProvisional[rank]];
        }

        var offsets = new int[_basketEnds.Count + 1];
        for (var b = 0; b < _basketEnds.Count; b++)
        {
            offsets[b + 1] = _basketEnds[b];
        }

        var items = Transpose(recode, finalCounts, offsets);
        return new BasketSet(finalNames, finalCounts, items, offsets, byName);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] CountItems(int distinct)
    {
        var counts = new int[distinct];
        var items = _items;
        for (var i = 0; i < _itemCount; i++)
        {
            counts[items[i]]++;
        }

        return counts;
    }

    // Provisional codes by ascending count, keeping the incoming (name) order among equal counts.
    private static int[] StableByCount(int[] byName, int[] counts)
    {
        var maxCount = 0;
        foreach (var count in counts)
        {
            maxCount = Math.Max(maxCount, count);
        }

        var starts = new int[maxCount + 2];
        foreach (var count in counts)
        {
            starts[count + 1]++;
        }

        for (var c = 1; c < starts.Length; c++)
        {
            starts[c] += starts[c - 1];
        }

        var order = new int[byName.Length];
        foreach (var code in byName)
        {
            order[starts[counts[code]]++] = code;
        }

        return order;
    }

    /// <summary>
    /// Sorts every basket at once instead of one sort per basket: lists the baskets of each final code (a transpose),
    /// then walks the codes in ascending order appending each to its baskets, which leaves every basket ascending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] Transpose(int[] recode, int[] finalCounts, int[] offsets)
    {
        var distinct = finalCounts.Length;
        var fill = new int[distinct + 1];
        for (var c = 0; c < distinct; c++)
        {
            fill[c + 1] = fill[c] + finalCounts[c];
        }

        var starts = (int[])fill.Clone();
        var baskets = new int[_itemCount];
        var provisional = _items;
        for (var b = 0; b < offsets.Length - 1; b++)
        {
            for (var i = offsets[b]; i < offsets[b + 1]; i++)
            {
                baskets[fill[recode[provisional[i]]]++] = b;
            }
        }

        var cursor = (int[])offsets.Clone();
        var items = new int[_itemCount];
        for (var c = 0; c < distinct; c++)
        {
            for (var t = starts[c]; t < starts[c + 1]; t++)
            {
                items[cursor[baskets[t]]++] = c;
            }
        }

        return items;
    }
}
