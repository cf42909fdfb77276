using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// Wraps the checkpoint store a pipeline run uses so that every checkpoint saved for <paramref name="pipeline"/>
/// is also told to <paramref name="observer"/> (the Kafka source), which then commits the matching offsets.
/// This is how a run with a Kafka source is wired without changing the pipeline.
/// </summary>
public sealed class AcknowledgingCheckpointStore : ICheckpointStore
{
    private readonly ICheckpointStore inner;
    private readonly IAcknowledgementObserver observer;

    public AcknowledgingCheckpointStore(ICheckpointStore inner, string pipeline, IAcknowledgementObserver observer)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        this.observer = observer ?? throw new ArgumentNullException(nameof(observer));
        Pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        (observer as KafkaOrderSource)?.ExpectAcknowledgements();
    }

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
        if (string.Equals(pipeline, Pipeline, StringComparison.Ordinal))
        {
            observer.Acknowledged(checkpoint);
        }
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    private string Pipeline { get; }

    /// <summary>
    /// The store to give a pipeline run: wrapped when <paramref name="source"/> wants acknowledgements, else as is.
    /// </summary>
    public static ICheckpointStore For(ICheckpointStore store, string pipeline, IOrderSource source) =>
        source is IAcknowledgementObserver observer ? new AcknowledgingCheckpointStore(store, pipeline, observer) : store;
}
