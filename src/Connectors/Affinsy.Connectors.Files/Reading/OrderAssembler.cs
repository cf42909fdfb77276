using System.Globalization;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Groups rows into orders and orders into bounded batches.
/// <para>
/// Rows of one order are expected to be contiguous, but need not be: rows whose order is already in
/// the batch being built are merged into it. A batch is cut only where the order id changes, so a
/// contiguous order never straddles two batches. When an order reappears after its batch was emitted
/// (a "late part"), its new rows are sent as a separate part: Affinsy upserts per (order_id, product_name),
/// so that adds the new products correctly; a late row that repeats a product already sent would
/// replace that product's quantity instead of adding to it, so such a row is refused with a reason.
/// Late parts are recognized for the most recent <c>recentOrders</c> orders of this run (not across
/// runs): files sorted by order id, or exported order by order, never hit this.
/// </para>
/// <para>
/// With <c>replaceRepeatedOrders</c> (JSON Lines: a line is a whole order) a repeated order id is a newer
/// version of that order: it replaces the earlier one within a batch and is re-sent across batches.
/// </para>
/// </summary>
internal sealed class OrderAssembler(
    string source,
    int maxOrders,
    int maxLineItems,
    bool replaceRepeatedOrders = false,
    int recentOrders = 20_000)
{
    private const int RefusalHardLimit = 50_000;
    private readonly Dictionary<string, PendingOrder> _batch = new(StringComparer.Ordinal);
    private readonly List<PendingOrder> _batchOrder = [];
    private readonly List<Refusal> _refusals = [];
    private readonly Dictionary<string, HashSet<int>> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private int _lineCount;

    /// <summary>The order id of the last row added.</summary>
    public string? CurrentOrderId { get; private set; }

    public bool IsEmpty => _batchOrder.Count == 0 && _refusals.Count == 0;

    /// <summary>
    /// True when the batch should be emitted before a row of <paramref name="orderId"/>: it is full and
    /// the row starts another order (or refusals alone have piled up beyond any reason).
    /// </summary>
    public bool ShouldCutBefore(string? orderId) =>
        (IsFull && orderId is not null && !string.Equals(orderId, CurrentOrderId, StringComparison.Ordinal))
        || _refusals.Count >= RefusalHardLimit;

    private bool IsFull => _batchOrder.Count >= maxOrders || _lineCount >= maxLineItems || _refusals.Count >= maxLineItems;

    public void Refuse(string reason, long line, IRawRecord raw, string? orderId) =>
        _refusals.Add(new Refusal(reason, Position(line), raw.RawText(), orderId));

    /// <summary>Adds one line of an order; header fields are taken from the order's first row.</summary>
    public void AddLine(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency, string productName, decimal unitPrice, decimal quantity)
    {
        CurrentOrderId = orderId;
        productName = OrderRules.Trim(productName);
        if (!_batch.TryGetValue(orderId, out var pending))
        {
            pending = Start(orderId, line, raw, customerId, orderDate, currency);
        }
        else if (replaceRepeatedOrders && pending.LastLine != line)
        {
            _batchOrder.Remove(pending);
            _lineCount -= pending.Draft.LinesAdded;
            pending = Start(orderId, line, raw, customerId, orderDate, currency);
        }

        if (pending.SentEarlier is { } sent && sent.Contains(productName.GetHashCode(StringComparison.Ordinal)))
        {
            _refusals.Add(new Refusal(
                $"order '{orderId}' reappears at line {line.ToString(CultureInfo.InvariantCulture)} with product '{productName}', which an earlier part of this order already sent; sending it again would replace its quantity instead of adding to it. Sort the file by order id so each order's rows are together",
                Position(line),
                raw.RawText(),
                orderId));
            return;
        }

        pending.Draft.AddLine(productName, unitPrice, quantity);
        pending.LastLine = line;
        pending.Rows++;
        _lineCount++;
    }

    /// <summary>Emits everything gathered so far with the checkpoint that is safe after it.</summary>
    public OrderBatch TakeBatch(Checkpoint checkpoint)
    {
        var orders = new List<Order>(_batchOrder.Count);
        var refusals = new List<Refusal>(_refusals);
        foreach (var pending in _batchOrder)
        {
            var result = OrderNormalizer.Normalize(pending.Draft);
            if (result.Order is { } order)
            {
                orders.Add(order);
                if (!replaceRepeatedOrders)
                {
                    Remember(order);
                }
            }
            else
            {
                var position = pending.FirstLine == pending.LastLine
                    ? Position(pending.FirstLine)
                    : $"lines {pending.FirstLine.ToString(CultureInfo.InvariantCulture)}-{pending.LastLine.ToString(CultureInfo.InvariantCulture)}";
                var original = pending.Rows <= 1
                    ? pending.FirstRowText
                    : $"{pending.FirstRowText}\n(and {(pending.Rows - 1).ToString(CultureInfo.InvariantCulture)} more rows of this order, up to line {pending.LastLine.ToString(CultureInfo.InvariantCulture)})";
                refusals.Add(new Refusal(result.RefusalReason!, position, original, pending.Draft.OrderId));
            }
        }

        _batch.Clear();
        _batchOrder.Clear();
        _refusals.Clear();
        _lineCount = 0;
        return new OrderBatch(orders, refusals, checkpoint);
    }

    private PendingOrder Start(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency)
    {
        var draft = new OrderDraft(orderId)
        {
            CustomerId = customerId,
            OrderDate = orderDate,
            Currency = currency,
            Source = source,
        };
        _recent.TryGetValue(orderId, out var sent);
        var pending = new PendingOrder(draft, line, raw.RawText(), replaceRepeatedOrders ? null : sent);
        _batch[orderId] = pending;
        _batchOrder.Add(pending);
        return pending;
    }

    private void Remember(Order order)
    {
        if (!_recent.TryGetValue(order.OrderId, out var products))
        {
            products = [];
            _recent.Add(order.OrderId, products);
            _recentOrder.Enqueue(order.OrderId);
            if (_recentOrder.Count > recentOrders)
            {
                _recent.Remove(_recentOrder.Dequeue());
            }
        }

        foreach (var line in order.LineItems)
        {
            products.Add(line.ProductName.GetHashCode(StringComparison.Ordinal));
        }
    }

    private static string Position(long line) => "line " + line.ToString(CultureInfo.InvariantCulture);

    private sealed class PendingOrder(OrderDraft draft, long firstLine, string firstRowText, HashSet<int>? sentEarlier)
    {
        public OrderDraft Draft { get; } = draft;

        public long FirstLine { get; } = firstLine;

        public long LastLine { get; set; } = firstLine;

        public string FirstRowText { get; } = firstRowText;

        public HashSet<int>? SentEarlier { get; } = sentEarlier;

        public int Rows { get; set; }
    }
}
