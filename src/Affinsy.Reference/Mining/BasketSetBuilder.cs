using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// Collects baskets of product names and codes them as integers. A product repeated inside one basket
/// counts once, because a basket is the set of its distinct products.
/// </summary>
internal sealed class BasketSetBuilder
{
    // Baskets longer than this are sorted by the library's sort rather than by insertion.
    private const int LongBasket = 48;

    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _codesBySpan;
    private readonly List<string> _names = [];

    // Stamp of the basket that last saw each provisional code: deduplicates within a basket without a set per basket.
    private int[] _lastBasket = new int[64];
    private int[] _items = new int[1024];
    private int _itemCount;
    private readonly List<int> _basketEnds = [];
    private bool _built;

    public BasketSetBuilder()
    {
        _codesBySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <param name="expectedItems">About how many items will be added (a hint: the buffer still grows past it).</param>
    public BasketSetBuilder(int expectedItems)
        : this()
    {
        _items = new int[Math.Clamp(expectedItems, 1024, 1 << 28)];
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

    /// <summary>Closes the basket that <see cref="AddItem"/> has been filling (a <see cref="BasketSet.EndOfBasket"/> cell follows it).</summary>
    public void EndBasket()
    {
        if (_itemCount == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_itemCount++] = BasketSet.EndOfBasket;
        _basketEnds.Add(_itemCount);
    }

    /// <summary>
    /// Recodes items by ascending basket count (ties by name, ordinal) so that the frequent items at any
    /// threshold are one contiguous range of codes, and lays each basket's codes out ascending. Once per builder.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BasketSet Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("A basket set builder builds once: the set takes over its item buffer.");
        }

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

        var items = RecodeAndSort(recode, offsets);
        _built = true;
        return new BasketSet(finalNames, finalCounts, items, offsets, byName);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] CountItems(int distinct)
    {
        var counts = new int[distinct];
        var items = _items;
        for (var i = 0; i < _itemCount; i++)
        {
            var code = items[i];
            if (code != BasketSet.EndOfBasket)
            {
                counts[code]++;
            }
        }

        return counts;
    }

    // Provisional codes by ascending count, keeping the incoming (name) order among equal counts.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// Recodes the items in place and sorts each basket where it lies: baskets are short (about 10 items in
    /// retail.dat), so an insertion sort over a few adjacent ints beats a transpose that scatters every item twice
    /// through two fresh arrays (page faults and cache misses), and a long basket goes to the library sort.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] RecodeAndSort(int[] recode, int[] offsets)
    {
        var items = _items;
        for (var b = 0; b < offsets.Length - 1; b++)
        {
            int start = offsets[b], end = offsets[b + 1] - 1; // the basket's cells, then its end marker
            if (end - start > LongBasket)
            {
                var basket = items.AsSpan(start, end - start);
                for (var i = 0; i < basket.Length; i++)
                {
                    basket[i] = recode[basket[i]];
                }

                basket.Sort();
                continue;
            }

            for (var i = start; i < end; i++)
            {
                var code = recode[items[i]];
                var j = i - 1;
                while (j >= start && items[j] > code)
                {
                    items[j + 1] = items[j];
                    j--;
                }

                items[j + 1] = code;
            }
        }

        return items;
    }
}
