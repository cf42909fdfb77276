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
        OrderDraft? draft;
        try
        {
            draft = record.Value is null ? null : AffinsyMessageReader.Read(record.Value, "kafka");
        }
        catch (JsonException e)
        {
            output.Problem(MessageFields.NotJson(e, Expected), record, null);
            return;
        }

        if (draft is null)
        {
            output.Problem($"empty or null message; expected a JSON object {Expected}", record, null);
            return;
        }

        MessageFields.Deliver(draft, record, output);
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
