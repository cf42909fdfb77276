using System.Text.Json;
using Affinsy.Core.Orders;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// <c>format: affinsy</c>: each message is a whole order (<c>order_id, customer_id, order_date, line_items</c>).
/// A later message for the same order id is a newer version of it and replaces it (upsert). Holds nothing back.
/// </summary>
internal sealed class AffinsyMessageFormat : IMessageFormat
{
    private const string Expected = "with order_id and line_items[product_name, unit_price, quantity]";

    public void Accept(KafkaRecord record, IFormatOutput output)
    {
        OrderMessage? message;
        try
        {
            message = record.Value is null ? null : JsonSerializer.Deserialize(record.Value, MessageJsonContext.Default.OrderMessage);
        }
        catch (JsonException e)
        {
            output.Problem(MessageFields.NotJson(e, Expected), record, null);
            return;
        }

        if (message is null)
        {
            output.Problem($"empty or null message; expected a JSON object {Expected}", record, null);
            return;
        }

        var draft = new OrderDraft(message.OrderId) { CustomerId = message.CustomerId, Currency = message.Currency, Source = "kafka" };
        if (!MessageFields.TryParseDate(message.OrderDate, out var date, out var problem))
        {
            draft.Refuse(problem!);
        }

        draft.OrderDate = date;
        if (message.LineItems is not { Count: > 0 })
        {
            draft.Refuse($"no line_items in order '{message.OrderId}': an order needs at least one product");
        }
        else
        {
            for (var i = 0; i < message.LineItems.Count; i++)
            {
                if (message.LineItems[i] is { } item)
                {
                    draft.AddLine(item.ProductName, item.UnitPrice, item.Quantity);
                }
                else
                {
                    draft.Refuse($"line_items[{i}] is null");
                }
            }
        }

        var result = OrderNormalizer.Normalize(draft);
        if (result.Order is { } order)
        {
            output.Order(order);
        }
        else
        {
            output.Problem(result.RefusalReason ?? "refused", record, message.OrderId);
        }
    }

    public void FlushIdle(DateTimeOffset now, IFormatOutput output)
    {
    }

    public void FlushAll(IFormatOutput output)
    {
    }

    public void Drop(IReadOnlyCollection<TopicPartition> partitions)
    {
    }

    public long? LowestHeldOffset(TopicPartition partition) => null;
}
