using System.Runtime.CompilerServices;
using Affinsy.Core.Sources;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>A source that yields prepared batches, recording where it was asked to start.</summary>
internal sealed class ListSource(IReadOnlyList<OrderBatch> batches) : IOrderSource
{
    public Checkpoint? StartedFrom { get; private set; }

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StartedFrom = from;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return batch;
        }
    }
}
