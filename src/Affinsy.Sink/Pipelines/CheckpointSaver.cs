using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Core.Telemetry;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// The acknowledge -> checkpoint -> tell the source step: saves the newest checkpoint the <see cref="AckTracker"/>
/// says became safe, then tells the source. Both happen under one lock, so the store never goes backwards and the
/// source hears of saved checkpoints one at a time and in order.
/// </summary>
internal sealed class CheckpointSaver(string pipeline, AckTracker tracker, ICheckpointStore store, IOrderSource source, CheckpointLag lag)
{
    private readonly SemaphoreSlim saveLock = new(1, 1);

    /// <summary>The checkpoint saved last in this run; null while none moved.</summary>
    public Checkpoint? Saved { get; private set; }

    /// <summary>
    /// Saves what became safe, if anything. Never cancelled: a safe checkpoint is saved even while stopping, so the
    /// next sync re-sends as little as possible.
    /// </summary>
    public async Task SaveSafeAsync()
    {
        await saveLock.WaitAsync(CancellationToken.None);
        try
        {
            if (tracker.TakeSafeCheckpoint() is { } checkpoint)
            {
                await store.SaveAsync(pipeline, checkpoint, CancellationToken.None);
                Saved = checkpoint;
                lag.Saved(checkpoint);
                await source.AcknowledgeAsync(checkpoint, CancellationToken.None);
            }
        }
        finally
        {
            saveLock.Release();
        }
    }
}
