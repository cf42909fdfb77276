using System.Globalization;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Groups rows into orders and orders into bounded batches.
/// <para>
/// Rows of one order arrive together: a batch is cut only where the order id changes, so an order's
/// contiguous rows never straddle two batches. Rows of an order that reappear later (a "late part") are the
/// CSV source's business: it cuts the batch before them, so each part is sent on its own and upserted per
/// (order_id, product_name) in file order, whatever the batch and checkpoint boundaries.
/// </para>
/// <para>
/// With <c>replaceRepeatedOrders</c> (JSON Lines: a line is a whole order) a repeated order id is a newer
/// version of that order: it replaces the earlier one within a batch and is re-sent across batches.
/// </para>
/// <para>
/// Positions are <c>file:line (byte offset)</c> when the file name is given, else <c>line N</c>.
/// </para>
/// <para>
/// Orders skipped by design (a cancelled invoice) are counted once per order, however many rows they have and even
/// when a batch is cut between their rows; lines left out by design (a return) go into the order's draft, which
/// normalization skips when nothing bought remains.
/// </para>
/// <para>
/// A dead letter holds what a replay needs (<see cref="KeptRecords"/>): for CSV (<paramref name="header"/> given) the
/// header line and the order's rows, or the refused row; for JSON Lines the line.
/// </para>
/// <para>
/// Every order's source time is <paramref name="writtenAt"/>, the file's last write: the data is as new as the
/// export that holds it, whatever its order dates, so a historical file synced today does not read as years behind
/// in <c>affinsy_checkpoint_lag_seconds</c>, and an export that stops being written shows as a growing lag.
/// </para>
/// </summary>
internal sealed class OrderAssembler(
    string source,
    int maxOrders,
    int maxLineItems,
    bool replaceRepeatedOrders = false,
    string? file = null,
    DateTimeOffset? writtenAt = null,
    string? header = null)
{
    private readonly KeptRecords _kept = new(header);
    private const int RefusalHardLimit = 50_000;
    private readonly Dictionary<string, PendingOrder> _batch = new(StringComparer.Ordinal);
    private readonly List<PendingOrder> _batchOrder = [];
    private readonly List<Refusal> _refusals = [];
    private int _lineCount;
    private SkipCounts? _skipped;
    private int _skippedRows;
    private string? _lastSkippedId;

    /// <summary>The order id of the last row added.</summary>
    public string? CurrentOrderId { get; private set; }

    public bool IsEmpty => _batchOrder.Count == 0 && _refusals.Count == 0 && _skippedRows == 0;

    /// <summary>
    /// True when the batch should be emitted before a row of <paramref name="orderId"/>: it is full and
    /// the row starts another order (or refusals alone have piled up beyond any reason).
    /// </summary>
    public bool ShouldCutBefore(string? orderId) =>
        (IsFull && orderId is not null && !string.Equals(orderId, CurrentOrderId, StringComparison.Ordinal))
        || _refusals.Count >= RefusalHardLimit;

    private bool IsFull => _batchOrder.Count >= maxOrders || _lineCount >= maxLineItems || _refusals.Count >= maxLineItems || _skippedRows >= maxLineItems;

    /// <summary>True when the batch being built holds rows of <paramref name="orderId"/>.</summary>
    public bool Holds(string orderId) => _batch.ContainsKey(orderId);

    public void Refuse(string reason, long line, IRawRecord raw, string? orderId) =>
        _refusals.Add(new Refusal(reason, Position(line, line, raw.RecordStart), _kept.Row(raw), orderId));

    /// <summary>
    /// A row of an order skipped whole by design (a cancelled invoice): the order is counted once for
    /// <paramref name="reason"/>, at its first row; its contiguous rows after that count nothing.
    /// </summary>
    public void Skip(string orderId, SkipReason reason)
    {
        _skippedRows++;
        if (string.Equals(orderId, _lastSkippedId, StringComparison.Ordinal))
        {
            return;
        }

        _lastSkippedId = orderId;
        (_skipped ??= new SkipCounts()).Add(reason);
    }

    /// <summary>
    /// A line of an order left out by design (a returned item): the order's draft counts it without sending it, and is
    /// skipped for <paramref name="reason"/> if nothing bought remains. Header fields as in <see cref="AddLine"/>.
    /// </summary>
    public void LeaveOut(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency, SkipReason reason) =>
        Pending(orderId, line, raw, customerId, orderDate, currency).Draft.LeaveOutLine(reason);

    /// <summary>Adds one line of an order; header fields are taken from the order's first row.</summary>
    public void AddLine(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency, string productName, decimal unitPrice, decimal quantity) =>
        Pending(orderId, line, raw, customerId, orderDate, currency).Draft.AddLine(OrderRules.Trim(productName), unitPrice, quantity);

    /// <summary>The pending order a row of <paramref name="orderId"/> belongs to, started (or restarted, for a newer version) as needed.</summary>
    private PendingOrder Pending(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency)
    {
        CurrentOrderId = orderId;
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

        if (pending.Rows == 0 || pending.LastLine != line)
        {
            // A JSON Lines order adds a line item per item of one line: its line is kept once.
            _kept.Add(pending, raw);
        }

        pending.LastLine = line;
        pending.Rows++;
        _lineCount++;
        return pending;
    }

    /// <summary>Emits everything gathered so far with the checkpoint that is safe after it; the pipeline normalizes the drafts.</summary>
    public OrderBatch TakeBatch(Checkpoint? checkpoint)
    {
        var drafts = new List<OrderDraft>(_batchOrder.Count);
        var refusals = new List<Refusal>(_refusals);
        foreach (var pending in _batchOrder)
        {
            if (pending.Draft.WillBeRefused)
            {
                // Its letter's text, made now: the kept rows are reused by the next batch.
                pending.Record = _kept.Text(pending, pending.Rows, pending.LastLine);
            }

            drafts.Add(pending.Draft);
        }

        _kept.Clear();

        var skipped = _skipped;
        _batch.Clear();
        _batchOrder.Clear();
        _refusals.Clear();
        _lineCount = 0;
        _skipped = null;
        _skippedRows = 0;
        return new OrderBatch(drafts, refusals, checkpoint) { Skipped = skipped };
    }

    private PendingOrder Start(string orderId, long line, IRawRecord raw, string? customerId, DateTimeOffset? orderDate, string? currency)
    {
        var draft = new OrderDraft(orderId)
        {
            CustomerId = customerId,
            OrderDate = orderDate,
            Currency = currency,
            Source = source,
            SourceUpdatedAt = writtenAt,
        };
        var pending = new PendingOrder(this, draft, line, raw.RecordStart);
        _kept.Start(pending);
        draft.Origin = pending;
        _batch[orderId] = pending;
        _batchOrder.Add(pending);
        return pending;
    }

    private string Position(long firstLine, long lastLine, long offset)
    {
        var lines = firstLine == lastLine
            ? firstLine.ToString(CultureInfo.InvariantCulture)
            : $"{firstLine.ToString(CultureInfo.InvariantCulture)}-{lastLine.ToString(CultureInfo.InvariantCulture)}";
        return file is null
            ? (firstLine == lastLine ? "line " : "lines ") + lines
            : $"{file}:{lines} (byte {offset.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>An order being gathered; also its draft's origin, formatted only if the pipeline refuses it.</summary>
    private sealed class PendingOrder(OrderAssembler owner, OrderDraft draft, long firstLine, long firstOffset) : KeptRecords.Range, IRecordOrigin
    {
        public OrderDraft Draft { get; } = draft;

        public long FirstLine { get; } = firstLine;

        public long FirstOffset { get; } = firstOffset;

        public long LastLine { get; set; } = firstLine;

        public int Rows { get; set; }

        /// <summary>The letter's text, made when the batch was taken if the draft will be refused.</summary>
        public string? Record { get; set; }

        public string Position => owner.Position(FirstLine, LastLine, FirstOffset);

        // Normalization refuses exactly the drafts WillBeRefused named, so Record is set for every origin read.
        public string OriginalRecord => Record ?? string.Empty;
    }
}
