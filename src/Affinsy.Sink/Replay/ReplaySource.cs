using System.Runtime.CompilerServices;
using Affinsy.Core.Sources;

namespace Affinsy.Sink.Replay;

/// <summary>The re-read letters as a source: one batch per letter, its checkpoint the letter's index (<see cref="ReplayCheckpoints"/>).</summary>
internal sealed class ReplaySource(IReadOnlyList<(int Index, OrderBatch Batch)> batches) : IOrderSource
{
    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (index, batch) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return batch with { Checkpoint = ReplayCheckpoints.For(index) };
        }

        await Task.CompletedTask;
    }
}
