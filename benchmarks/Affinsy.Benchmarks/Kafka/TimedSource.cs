using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;

namespace Affinsy.Benchmarks;

/// <summary>
/// Hands the Kafka source's batches to the pipeline, noting when each left the consumer (and the first one, when
/// the backlog clock starts).
/// </summary>
internal sealed class TimedSource(IOrderSource inner) : IOrderSource
{
    public TaskCompletionSource<(long Ticks, (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) Cpu)> FirstBatch { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(long Seq, long Ticks, int Orders)> Yielded { get; } = new();

    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken) =>
        inner.AcknowledgeAsync(checkpoint, cancellationToken);

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in inner.ReadAsync(from, cancellationToken))
        {
            var ticks = Stopwatch.GetTimestamp();
            if (!FirstBatch.Task.IsCompleted)
            {
                FirstBatch.TrySetResult((ticks, ThreadCpu.Sample()));
            }

            if (batch.Checkpoint?.As(KafkaCheckpoint.Json) is { } checkpoint)
            {
                Yielded.Enqueue((checkpoint.Seq, ticks, batch.Drafts.Count));
            }

            yield return batch;
        }
    }
}
