namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// A dataset's stored rows as a report reads them: integers only while streaming, text only where a report shows it.
/// Products are numbered 0..ProductCount-1 in any order; customers 0..CustomerCount-1 in ordinal order of their ids,
/// so comparing numbers compares ids.
/// </summary>
internal interface IReportRows
{
    int ProductCount { get; }

    int CustomerCount { get; }

    string ProductName(int product);

    string CustomerId(int customer);

    /// <summary>The order id of an order key a scan reported (for tie-breaks and error messages).</summary>
    string OrderId(long orderKey);

    /// <summary>
    /// Streams every order once, its rows grouped; each order's products come in one span, valid only during the call.
    /// Only the <paramref name="fields"/> asked for are read: the others are left empty (no customer, no date, zero spend).
    /// </summary>
    void Scan(RowFields fields, IOrderVisitor visitor, CancellationToken ct);
}

/// <summary>What a scan reads besides each order's key and products: every column left out is one less read per row.</summary>
[Flags]
internal enum RowFields
{
    ProductsOnly = 0,

    /// <summary>The order's customer and date (<see cref="OrderFacts.Customer"/>, <see cref="OrderFacts.PlacedMs"/>).</summary>
    CustomerAndDate = 1,

    /// <summary>unit_price x quantity summed into <see cref="OrderFacts.Spend"/>.</summary>
    Amounts = 2,

    /// <summary>
    /// The visitor ignores products: a store may hand each order with no products, from a per-order summary it keeps
    /// (one row per order instead of one per line item), with the same facts.
    /// </summary>
    NoProducts = 4,
}

/// <summary>Receives the orders of a scan.</summary>
internal interface IOrderVisitor
{
    void Order(in OrderFacts order, ReadOnlySpan<int> products);
}

/// <summary>
/// One order, resolved from its rows as <see cref="OrderAssembly"/> defines it: the smallest customer (ordinal id),
/// the latest order_date, and the decimal sum of unit_price x quantity (<see cref="SpendOverflowed"/> when it does not fit).
/// </summary>
internal readonly record struct OrderFacts(long Key, int Customer, long? PlacedMs, ExactSpend Spend, bool SpendOverflowed)
{
    public const int NoCustomer = -1;

    /// <summary>The UTC calendar date the order was placed, as a day number.</summary>
    public int? Day => PlacedMs is { } ms ? DayOf(ms) : null;

    public static int DayOf(long unixMs) => UnixEpochDay + (int)Math.Floor(unixMs / 86_400_000d);

    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;
}
