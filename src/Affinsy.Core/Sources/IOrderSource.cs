namespace Affinsy.Core.Sources;

/// <summary>
/// A source connector: reads orders from where the checkpoint left off and yields them in batches.
/// Paging, pacing of the sink, acknowledgements and checkpoint persistence live in the framework;
/// a source only reads, normalizes and says where it is.
/// </summary>
public interface IOrderSource
{
    /// <summary>
    /// Streams batches starting after <paramref name="from"/> (null: from the beginning). Each batch's
    /// checkpoint must be safe to resume from once that batch and all before it are acknowledged.
    /// </summary>
    IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, CancellationToken cancellationToken);

    /// <summary>
    /// True for a source that never ends on its own (a streaming consumer): the worker keeps it running
    /// instead of scheduling it, and triggers its reports on <c>report_schedule</c> or <c>reports_after</c>.
    /// </summary>
    bool IsContinuous => false;
}
