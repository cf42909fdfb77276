using System.Text.Json;
using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Core.Orders;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// <c>format: line_item</c>: one message per line item (<c>order_id, product_name, unit_price, quantity</c>, and
/// <c>customer_id, order_date</c> on any of them). Lines are gathered by order id until the end marker
/// <c>{"order_id": ..., "end": true}</c> arrives or no line came for <c>order_idle</c>; the order is then complete.
/// Messages of an unfinished order are held back: the committed offset never passes them.
/// A message that cannot be taken (not JSON, no order id, a missing field, a bad date, a line the order rules refuse)
/// is dead-lettered alone with its own position, and the order's other lines still go: Affinsy upserts rows by order
/// and product, so once the producer re-sends the fixed line the order is whole, while holding the order back would
/// lose good lines for one bad one. An order refused whole (its id too long, an amount past range) is one dead letter
/// listing every message position of it and keeping every message's value, so a replay reads the whole order again.
/// </summary>
internal sealed class LineItemMessageFormat(TimeSpan idle) : IMessageFormat
{
    private const string Expected = "with order_id, product_name, unit_price and quantity (or order_id and \"end\": true)";
    private readonly Dictionary<string, OpenOrder> open = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, SortedSet<long>> heldFirstOffsets = [];

    public void Accept(KafkaRecord record, IFormatOutput output)
    {
        LineItemMessage? message;
        try
        {
            message = record.Value is null ? null : JsonSerializer.Deserialize(record.Value, MessageJsonContext.Default.LineItemMessage);
        }
        catch (JsonException e)
        {
            output.Problem(MessageFields.NotJson(e, Expected), record, null);
            return;
        }

        var orderId = message?.OrderId?.Trim();
        if (message is null || orderId is not { Length: > 0 })
        {
            output.Problem(message is null ? $"empty or null message; expected a JSON object {Expected}" : $"no order_id; expected a JSON object {Expected}", record, null);
            return;
        }

        var isNew = !open.TryGetValue(orderId!, out var order);
        order ??= new OpenOrder(orderId!);
        if (Refusal(message, order.Draft) is { } problem)
        {
            // This message alone is refused; the order's other lines still go (see the class summary).
            output.Problem(problem, record, orderId);
            return;
        }

        if (isNew)
        {
            open.Add(orderId!, order);
        }

        Hold(order, record);
        order.Touched = true;
        if (!string.IsNullOrWhiteSpace(message.CustomerId))
        {
            order.Draft.CustomerId = message.CustomerId;
        }

        if (!string.IsNullOrWhiteSpace(message.Currency))
        {
            order.Draft.Currency = message.Currency;
        }

        if (message.End)
        {
            Close(order, output);
        }
    }

    /// <summary>
    /// Why this message cannot be taken (a bad date, a missing field, a line the order rules refuse), or null once
    /// its line and date are in the draft. A refused message changes nothing in its order.
    /// </summary>
    private static string? Refusal(LineItemMessage message, OrderDraft draft)
    {
        DateTimeOffset? date = null;
        if (!string.IsNullOrWhiteSpace(message.OrderDate) && !MessageFields.TryParseDate(message.OrderDate, out date, out var dateProblem))
        {
            return dateProblem;
        }

        if (!message.End)
        {
            if (message.ProductName is null || message.UnitPrice is null || message.Quantity is null)
            {
                return $"a line item needs product_name, unit_price and quantity; expected a JSON object {Expected}";
            }

            if (draft.TryAddLine(message.ProductName, message.UnitPrice.Value, message.Quantity.Value) is { } lineProblem)
            {
                return lineProblem;
            }
        }

        if (date is not null)
        {
            draft.OrderDate = date;
        }

        return null;
    }

    /// <summary>Orders untouched since the previous call are older than one idle period when calls are that far apart.</summary>
    public void FlushIdle(DateTimeOffset now, IFormatOutput output)
    {
        List<OpenOrder>? idleOrders = null;
        foreach (var order in open.Values)
        {
            if (order.Touched)
            {
                order.Touched = false;
                order.IdleSince = now;
            }
            else if (now - order.IdleSince >= idle)
            {
                (idleOrders ??= []).Add(order);
            }
        }

        if (idleOrders is not null)
        {
            foreach (var order in idleOrders)
            {
                Close(order, output);
            }
        }
    }

    public void FlushAll(IFormatOutput output)
    {
        foreach (var order in open.Values.ToList())
        {
            Close(order, output);
        }
    }

    public void Drop(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var order in open.Values.ToList())
        {
            if (order.FirstOffsets.Keys.Any(partitions.Contains))
            {
                Release(order);
            }
        }

        foreach (var partition in partitions)
        {
            heldFirstOffsets.Remove(partition);
        }
    }

    public long? LowestHeldOffset(TopicPartition partition) =>
        heldFirstOffsets.TryGetValue(partition, out var offsets) && offsets.Count > 0 ? offsets.Min : null;

    private void Hold(OpenOrder order, KafkaRecord record)
    {
        order.Messages.Add(record);
        if (order.FirstOffsets.ContainsKey(record.Partition))
        {
            return;
        }

        order.FirstOffsets.Add(record.Partition, record.Offset);
        if (!heldFirstOffsets.TryGetValue(record.Partition, out var offsets))
        {
            offsets = [];
            heldFirstOffsets.Add(record.Partition, offsets);
        }

        offsets.Add(record.Offset);
    }

    private void Close(OpenOrder order, IFormatOutput output)
    {
        Release(order);
        if (order.Draft.LinesAdded == 0 && order.Draft.Problem is null)
        {
            // An end marker for an order whose lines were already sent, refused or never came: nothing to send.
            return;
        }

        if (order.Draft.WillBeRefused)
        {
            // A whole-order rule (nothing bought, too many products): one dead letter naming every message of it.
            order.Draft.Origin = order.Origin();
        }

        output.Draft(order.Draft);
    }

    private void Release(OpenOrder order)
    {
        open.Remove(order.Draft.OrderId!);
        foreach (var (partition, offset) in order.FirstOffsets)
        {
            if (heldFirstOffsets.TryGetValue(partition, out var offsets))
            {
                offsets.Remove(offset);
            }
        }
    }

    private sealed class OpenOrder(string orderId)
    {
        public OrderDraft Draft { get; } = new(orderId) { Source = "kafka" };

        public Dictionary<TopicPartition, long> FirstOffsets { get; } = [];

        /// <summary>
        /// Every message taken into the order, for the dead letter of an order refused whole: its positions, and the
        /// values replay needs to read the order again (held only while the order is open).
        /// </summary>
        public List<KafkaRecord> Messages { get; } = [];

        /// <summary>The refused order's origin: all its positions, and every message's value (<see cref="StoredMessage.WriteOrder"/>).</summary>
        public IRecordOrigin Origin()
        {
            var positions = string.Join(", ", Messages.Take(StoredMessage.OrderMessages).Select(m => m.Position));
            if (Messages.Count > StoredMessage.OrderMessages)
            {
                positions += $" and {Messages.Count - StoredMessage.OrderMessages} more";
            }

            return RecordOrigin.Of(positions, StoredMessage.WriteOrder(Messages));
        }

        public DateTimeOffset IdleSince { get; set; }

        public bool Touched { get; set; }
    }
}
