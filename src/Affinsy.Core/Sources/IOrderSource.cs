namespace Affinsy.Core.Sources;

/// <summary>
/// A source connector: reads orders from where the checkpoint left off and yields them as drafts in batches.
/// Normalization, dead letters, pacing of the sink, acknowledgements and checkpoint persistence live in the
/// framework; a source only reads, says where it is, and may listen for what became safe.
/// </summary>
public interface IOrderSource
{
    /// <summary>
    /// Streams batches starting after <paramref name="from"/> (null: from the beginning). Each batch's
    /// checkpoint must be safe to resume from once that batch and all before it are acknowledged. A stored
    /// checkpoint the source cannot read is an <see cref="UnreadableCheckpointException"/> (see <see cref="Checkpoint.As{T}"/>).
    /// </summary>
    IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, CancellationToken cancellationToken);

    /// <summary>
    /// Optional hook: the pipeline calls it right after it saved <paramref name="checkpoint"/> (one this source
    /// yielded), once per saved checkpoint, in the order the batches were read, never for a batch that was not
    /// fully acknowledged. A source that keeps its position elsewhere (Kafka's committed offsets) commits here.
    /// It runs on the pipeline's acknowledgement path, so keep it short; it is never called concurrently.
    /// </summary>
    ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
