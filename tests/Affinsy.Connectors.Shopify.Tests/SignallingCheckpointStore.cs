using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>Passes through to SQLite and completes a task when a saved checkpoint matches a condition.</summary>
internal sealed class SignallingCheckpointStore(ICheckpointStore inner) : ICheckpointStore
{
    private readonly TaskCompletionSource matched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<ShopifyCheckpoint, bool>? condition;

    public Task WhenSaved(Func<ShopifyCheckpoint, bool> when)
    {
        condition = when;
        return matched.Task;
    }

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
        if (condition is { } when && when(ShopifyCheckpoint.Parse(checkpoint)))
        {
            matched.TrySetResult();
        }
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
}
