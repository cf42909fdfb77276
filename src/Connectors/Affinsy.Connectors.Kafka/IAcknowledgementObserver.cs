using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// A source that must learn which of its checkpoints the pipeline has made durable: a Kafka source keeps its
/// offsets in the broker, so it may commit an offset only after every order at or before it is acknowledged.
/// The pipeline saves a checkpoint exactly when that holds, so saving is the acknowledgement.
/// </summary>
public interface IAcknowledgementObserver
{
    /// <summary>Called after <paramref name="checkpoint"/> (one this source emitted) was saved; may run on any thread.</summary>
    void Acknowledged(Checkpoint checkpoint);
}
