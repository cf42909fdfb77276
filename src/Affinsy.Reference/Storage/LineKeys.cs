namespace Affinsy.Reference.Storage;

/// <summary>A line item's integer keys; <see cref="Complete"/> is false when its order or product has no key yet.</summary>
internal readonly record struct LineKeys(long Order, long Product, long? Customer, bool Complete);

/// <summary>
/// Product and customer keys already looked up, per dataset: a store has few of them (thousands of products, tens of
/// thousands of customers) and every request repeats them. Bounded: past <see cref="Capacity"/> entries of a kind (all
/// datasets together) that kind's maps are emptied and refill. Cleared when a write rolls back or a dataset is deleted,
/// so it never names a key that is gone.
/// </summary>
internal sealed class KeyCache
{
    public const int Capacity = 200_000;

    private readonly KeyMaps _products = new();
    private readonly KeyMaps _customers = new();

    public KeyMaps For(KeyKind kind) => kind == KeyKind.Product ? _products : _customers;

    public void Clear()
    {
        _products.Clear();
        _customers.Clear();
    }
}

/// <summary>
/// One kind's cached keys: a text-keyed map per dataset. A map keyed by the string alone hashes with the runtime's
/// fast non-randomized string hash (switching to the randomized one by itself if a map sees many collisions), where a
/// (dataset, text) tuple key paid the randomized hash on every look-up.
/// </summary>
internal sealed class KeyMaps
{
    private readonly Dictionary<long, Dictionary<string, long>> _byDataset = [];
    private int _count;

    /// <summary>The dataset's map; valid until <see cref="Clear"/>, which only a write outside this one calls.</summary>
    public Dictionary<string, long> Of(long datasetKey)
    {
        if (!_byDataset.TryGetValue(datasetKey, out var map))
        {
            map = new Dictionary<string, long>(StringComparer.Ordinal);
            _byDataset.Add(datasetKey, map);
        }

        return map;
    }

    /// <summary>Remembers a key just found or created (so not in the map yet).</summary>
    public void Add(Dictionary<string, long> map, string text, long key)
    {
        if (_count >= KeyCache.Capacity)
        {
            // Emptied in place: a request that holds a map from Of keeps a valid one.
            foreach (var each in _byDataset.Values)
            {
                each.Clear();
            }

            _count = 0;
        }

        if (map.TryAdd(text, key))
        {
            _count++;
        }
    }

    public void Clear()
    {
        _byDataset.Clear();
        _count = 0;
    }
}

/// <summary>
/// Resolves the keys of one request's rows; rows come grouped by order, so the last order's key is kept, and so is the
/// last customer's (an order's lines share their customer). Binds the dataset into the key statements for the request.
/// </summary>
internal sealed class RowKeys
{
    private readonly KeyStatements _statements;
    private readonly KeyMaps _productCache;
    private readonly KeyMaps _customerCache;
    private readonly Dictionary<string, long> _products;
    private readonly Dictionary<string, long> _customers;
    private string? _lastOrderId;
    private long _lastOrderKey;
    private string? _lastCustomerId;
    private long _lastCustomerKey;

    public RowKeys(KeyStatements statements, KeyCache cache, long datasetKey)
    {
        _statements = statements;
        _statements.Use(datasetKey);
        (_productCache, _customerCache) = (cache.For(KeyKind.Product), cache.For(KeyKind.Customer));
        (_products, _customers) = (_productCache.Of(datasetKey), _customerCache.Of(datasetKey));
    }

    /// <summary>Whether the order of the last resolved row got its key in this request (so all its lines are new).</summary>
    public bool OrderCreated { get; private set; }

    /// <summary>The row's keys; with <paramref name="create"/> false nothing is written and the result may be incomplete.</summary>
    public LineKeys Resolve(in IngestRow row, bool create)
    {
        long order;
        if (ReferenceEquals(row.OrderId, _lastOrderId) || string.Equals(row.OrderId, _lastOrderId, StringComparison.Ordinal))
        {
            order = _lastOrderKey;
        }
        else if (Key(KeyKind.Order, row.OrderId, create, out var created) is { } found)
        {
            (_lastOrderId, _lastOrderKey, order, OrderCreated) = (row.OrderId, found, found, created);
        }
        else
        {
            return default;
        }

        if (Key(KeyKind.Product, row.ProductName, create, out _) is not { } product)
        {
            return default;
        }

        long? customer = row.CustomerId is { } id ? Customer(id) : null;
        return new LineKeys(order, product, customer, Complete: true);
    }

    private long Customer(string id)
    {
        if (!ReferenceEquals(id, _lastCustomerId) && !string.Equals(id, _lastCustomerId, StringComparison.Ordinal))
        {
            (_lastCustomerId, _lastCustomerKey) = (id, Key(KeyKind.Customer, id, create: true, out _)!.Value);
        }

        return _lastCustomerKey;
    }

    private long? Key(KeyKind kind, string text, bool create, out bool created)
    {
        created = false;
        var (cache, map) = kind switch
        {
            KeyKind.Product => (_productCache, _products),
            KeyKind.Customer => (_customerCache, _customers),
            _ => ((KeyMaps?)null, (Dictionary<string, long>?)null),
        };
        if (map is not null && map.TryGetValue(text, out var hit))
        {
            return hit;
        }

        var key = _statements.Find(kind, text);
        if (key is null && create)
        {
            (key, created) = (_statements.Create(kind, text), true);
        }

        if (key is { } k && map is not null)
        {
            cache!.Add(map, text, k);
        }

        return key;
    }
}
