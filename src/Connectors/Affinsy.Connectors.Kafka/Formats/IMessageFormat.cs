using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// Turns messages into orders. A format may hold messages back (line items waiting for the rest of their order);
/// it then reports the lowest offset it holds per partition, and nothing at or after that offset is committed.
/// A format where each message is one whole order belongs in the connector that knows its payloads, registered
/// through Core's <c>IOrderMessageFormat</c> (see <see cref="RegisteredMessageFormat"/>); this interface is for
/// Kafka's own formats, which may hold messages across polls.
/// </summary>
internal interface IMessageFormat
{
    /// <summary>Decodes one message; finished orders and problems go to <paramref name="output"/>.</summary>
    void Accept(KafkaRecord record, IFormatOutput output);

    /// <summary>Releases held orders that have been idle for the format's idle time.</summary>
    void FlushIdle(DateTimeOffset now, IFormatOutput output);

    /// <summary>Releases everything held (the end of a batch sync).</summary>
    void FlushAll(IFormatOutput output);

    /// <summary>Forgets what is held from partitions this consumer no longer owns; their next owner re-reads it.</summary>
    void Drop(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>The lowest offset held back on <paramref name="partition"/>, or null.</summary>
    long? LowestHeldOffset(TopicPartition partition);
}

/// <summary>Where a format delivers its results.</summary>
internal interface IFormatOutput
{
    /// <summary>An order read whole, not yet normalized (the pipeline does that).</summary>
    void Draft(OrderDraft draft);

    /// <summary>A message (or an order built from several) that cannot become an order, with why.</summary>
    void Problem(string reason, KafkaRecord record, string? orderId);

    /// <summary>An order left out by design (a cancelled or test order, a status not sold): counted, not dead-lettered.</summary>
    void Skipped(SkipReason reason);
}
