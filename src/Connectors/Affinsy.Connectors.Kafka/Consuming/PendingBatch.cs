using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Consuming;

/// <summary>
/// The batch being gathered for the pipeline: what the formats made of the messages consumed since the last hand-over
/// (drafts, refusals, skips), and how many messages that is. It exists so that "is there anything to hand over" has
/// one answer: a batch of nothing but consumed messages still goes, because its checkpoint moves the offsets past
/// them. Consumer thread only.
/// </summary>
internal sealed class PendingBatch(DeadLetterRoute deadLetters) : IFormatOutput
{
    private readonly List<OrderDraft> ready = [];
    private readonly List<Refusal> refusals = [];
    private SkipCounts? skipped;
    private long consumedAtLastTake;

    /// <summary>Messages consumed in this run.</summary>
    public long Consumed { get; private set; }

    public int Orders => ready.Count;

    /// <summary>True when a hand-over now would carry an order, a refusal or an offset.</summary>
    public bool HasContent => ready.Count > 0 || refusals.Count > 0 || Consumed != consumedAtLastTake;

    public void CountMessage() => Consumed++;

    /// <summary>
    /// Versions of one order stay in partition order and are all sent: Affinsy upserts rows by (order, product) and
    /// never deletes one, so collapsing them here would change what lands depending on where batches split.
    /// </summary>
    public void Draft(OrderDraft draft) => ready.Add(draft);

    public void Skipped(SkipReason reason) => (skipped ??= new SkipCounts()).Add(reason);

    public void Problem(string reason, KafkaRecord record, string? orderId) => refusals.Add(deadLetters.Refuse(reason, record, orderId));

    /// <summary>The batch with <paramref name="checkpoint"/> and how far the run has read; the next one starts empty.</summary>
    public OrderBatch Take(Checkpoint checkpoint, SourceProgress? progress)
    {
        var batch = new OrderBatch([.. ready], [.. refusals], checkpoint) { Skipped = skipped, Progress = progress };
        ready.Clear();
        refusals.Clear();
        skipped = null;
        consumedAtLastTake = Consumed;
        return batch;
    }
}
