using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>Passes through to SQLite and completes a task when a saved checkpoint matches a condition.</summary>
internal sealed class SignallingCheckpointStore(ICheckpointStore inner) : ICheckpointStore
{
    private readonly TaskCompletionSource matched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private Func<ShopifyCheckpoint, bool>? condition;
    private Func<ShopifyCheckpoint, bool>? stopWhen;

    public Task WhenSaved(Func<ShopifyCheckpoint, bool> when)
    {
        condition = when;
        return matched.Task;
    }

    /// <summary>A token cancelled inside the save that matches <paramref name="when"/>, before the sync can read further.</summary>
    public CancellationToken CancelWhenSaved(Func<ShopifyCheckpoint, bool> when)
    {
        stopWhen = when;
        return stop.Token;
    }

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
        if (stopWhen is { } halt && halt(ShopifyCheckpoint.Start(checkpoint)))
        {
            stopWhen = null;
            await stop.CancelAsync();
        }

        if (condition is { } when && when(ShopifyCheckpoint.Start(checkpoint)))
        {
            matched.TrySetResult();
        }
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
}
