using Affinsy.Core.Sources;

namespace Affinsy.Core.Orders;

/// <summary>
/// An order being read, line by line, before <see cref="OrderNormalizer"/> decides whether it can be
/// sent. Repeated products are merged as they arrive so memory stays bounded by distinct products,
/// and collection stops past <see cref="OrderRules.MaxDistinctProducts"/> (the order is refused anyway).
/// </summary>
public sealed class OrderDraft
{
    private readonly Dictionary<string, LineTotals> _lines = new(StringComparer.Ordinal);
    private readonly List<string> _lineOrder = [];
    private string? _problem;

    /// <summary>Creates an empty draft for the given order id (trimmed when normalized).</summary>
    public OrderDraft(string? orderId) => OrderId = orderId;

    /// <summary>The order id as read.</summary>
    public string? OrderId { get; set; }

    /// <summary>The customer id as read; blank means none.</summary>
    public string? CustomerId { get; set; }

    /// <summary>When the order was placed; converted to UTC on normalization.</summary>
    public DateTimeOffset? OrderDate { get; set; }

    /// <summary>ISO currency code, when known.</summary>
    public string? Currency { get; set; }

    /// <summary>Source type, copied to <see cref="Order.Source"/>.</summary>
    public string? Source { get; set; }

    /// <summary>Copied to <see cref="Order.SourceUpdatedAt"/>.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; set; }

    /// <summary>Copied to <see cref="Order.DisplayName"/>.</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// Where the draft was read, for its dead letter should the pipeline refuse it. A source whose raw record is
    /// transient (a reused buffer) may set it only when <see cref="WillBeRefused"/>, so a sendable order costs nothing.
    /// </summary>
    public IRecordOrigin? Origin { get; set; }

    /// <summary>
    /// True when the pipeline's normalization will refuse this draft as it stands (no id, a refused line, no line at all,
    /// too many products); a draft it will skip (nothing bought remains) is not refused. Only for deciding what origin to
    /// keep: normalizing is the pipeline's job.
    /// </summary>
    public bool WillBeRefused => OrderNormalizer.ReasonToRefuse(this) is not null;

    /// <summary>Lines added, including zero-quantity and merged ones.</summary>
    public int LinesAdded { get; private set; }

    /// <summary>Distinct (trimmed) product names seen so far, capped just past the limit.</summary>
    public int DistinctProducts => _lineOrder.Count;

    /// <summary>True when the draft already holds a line for this (trimmed) product name.</summary>
    public bool Contains(string productName) => _lines.ContainsKey(OrderRules.Trim(productName));

    /// <summary>
    /// Records a problem that refuses the whole order (an unparsable date, say); the first one wins.
    /// </summary>
    public void Refuse(string reason) => _problem ??= reason;

    /// <summary>The first recorded refusal reason, if any.</summary>
    public string? Problem => _problem;

    /// <summary>Why lines were left out by design (<see cref="LeaveOutLine"/>); the first one wins.</summary>
    public SkipReason? LeftOut { get; private set; }

    /// <summary>
    /// Counts a line the source leaves out by design (a returned item in a retail export) without adding it: when
    /// nothing bought remains, the pipeline skips the order for <paramref name="reason"/> instead of refusing it.
    /// </summary>
    public void LeaveOutLine(SkipReason reason)
    {
        LinesAdded++;
        LeftOut ??= reason;
    }

    /// <summary>Adds a line; a product already present is merged (quantities add, price weighted by quantity).</summary>
    public void AddLine(string? productName, decimal unitPrice, decimal quantity)
    {
        LinesAdded++;
        if (Add(productName, unitPrice, quantity) is { } reason)
        {
            Refuse(reason);
        }
    }

    /// <summary>
    /// Adds a line unless it cannot be sent, in which case the draft is left as it was and the reason is returned:
    /// for a source where each line is a record of its own (a Kafka <c>line_item</c> message), so that record alone
    /// is refused and the order's other lines still go.
    /// </summary>
    public string? TryAddLine(string? productName, decimal unitPrice, decimal quantity)
    {
        var reason = Add(productName, unitPrice, quantity);
        if (reason is null)
        {
            LinesAdded++;
        }

        return reason;
    }

    private string? Add(string? productName, decimal unitPrice, decimal quantity)
    {
        var name = OrderRules.Trim(productName);
        if (OrderRules.CheckLine(name, unitPrice, quantity) is { } reason)
        {
            return reason;
        }

        if (_lines.TryGetValue(name, out var totals))
        {
            // Each part is at most MaxAmount, so these sums cannot overflow; the merged line must still be sendable.
            var merged = new LineTotals(totals.Quantity + quantity, totals.PriceTimesQuantity + (unitPrice * quantity), unitPrice);
            if (merged.Quantity > OrderRules.MaxAmount || merged.PriceTimesQuantity > OrderRules.MaxAmount)
            {
                return OrderRules.MergedOutOfRange(name, merged.Quantity > OrderRules.MaxAmount ? "quantity" : "unit_price x quantity");
            }

            _lines[name] = merged;
            return null;
        }

        // Past the limit the order is refused; remembering more names would only cost memory.
        if (_lineOrder.Count > OrderRules.MaxDistinctProducts)
        {
            return null;
        }

        _lines.Add(name, new LineTotals(quantity, unitPrice * quantity, unitPrice));
        _lineOrder.Add(name);
        return null;
    }

    /// <summary>
    /// A draft of an order a source built whole; normalization trims, merges and checks it again.
    /// </summary>
    public static OrderDraft From(Order order, IRecordOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        var draft = new OrderDraft(order.OrderId)
        {
            CustomerId = order.CustomerId,
            OrderDate = order.OrderDate,
            Currency = order.Currency,
            Source = order.Source,
            SourceUpdatedAt = order.SourceUpdatedAt,
            DisplayName = order.DisplayName,
            Origin = origin,
        };
        foreach (var line in order.LineItems ?? [])
        {
            draft.AddLine(line.ProductName, line.UnitPrice, line.Quantity);
        }

        return draft;
    }

    /// <summary>The (trimmed) names of the products that have a non-zero quantity so far.</summary>
    public IEnumerable<string> BoughtProducts()
    {
        foreach (var name in _lineOrder)
        {
            if (_lines[name].Quantity != 0)
            {
                yield return name;
            }
        }
    }

    /// <summary>True when some product has a non-zero quantity (allocation-free: called for every order).</summary>
    internal bool HasBoughtLine()
    {
        foreach (var name in _lineOrder)
        {
            if (_lines[name].Quantity != 0)
            {
                return true;
            }
        }

        return false;
    }

    internal IEnumerable<(string Name, LineTotals Totals)> Lines()
    {
        foreach (var name in _lineOrder)
        {
            yield return (name, _lines[name]);
        }
    }

    internal readonly record struct LineTotals(decimal Quantity, decimal PriceTimesQuantity, decimal LastPrice);
}
