namespace Affinsy.Reference.Storage;

/// <summary>A line item's integer keys; <see cref="Complete"/> is false when its order or product has no key yet.</summary>
internal readonly record struct LineKeys(long Order, long Product, long? Customer, bool Complete);

/// <summary>
/// Product and customer keys already looked up, per dataset: a store has few of them (thousands of products, tens of
/// thousands of customers) and every request repeats them. Bounded: past <see cref="Capacity"/> entries a map is
/// emptied and refills. Cleared when a write rolls back or a dataset is deleted, so it never names a key that is gone.
/// </summary>
internal sealed class KeyCache
{
    public const int Capacity = 200_000;

    private readonly Dictionary<(long Dataset, string Text), long> _products = [];
    private readonly Dictionary<(long Dataset, string Text), long> _customers = [];

    public Dictionary<(long Dataset, string Text), long> For(KeyKind kind) => kind == KeyKind.Product ? _products : _customers;

    public void Clear()
    {
        _products.Clear();
        _customers.Clear();
    }
}

/// <summary>Resolves the keys of one request's rows; rows come grouped by order, so the last order's key is kept.</summary>
internal sealed class RowKeys(KeyStatements statements, KeyCache cache, long datasetKey)
{
    private string? _lastOrderId;
    private long _lastOrderKey;

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

        long? customer = row.CustomerId is { } id ? Key(KeyKind.Customer, id, create: true, out _) : null;
        return new LineKeys(order, product, customer, Complete: true);
    }

    private long? Key(KeyKind kind, string text, bool create, out bool created)
    {
        created = false;
        Dictionary<(long, string), long>? cached = kind == KeyKind.Order ? null : cache.For(kind);
        if (cached is not null && cached.TryGetValue((datasetKey, text), out var hit))
        {
            return hit;
        }

        var key = statements.Find(kind, datasetKey, text);
        if (key is null && create)
        {
            (key, created) = (statements.Create(kind, datasetKey, text), true);
        }

        if (key is { } k && cached is not null)
        {
            if (cached.Count >= KeyCache.Capacity)
            {
                cached.Clear();
            }

            cached[(datasetKey, text)] = k;
        }

        return key;
    }
}
