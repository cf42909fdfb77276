using System.Diagnostics;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Benchmarks;

/// <summary>Records when each Kafka checkpoint was saved (that is when its offsets may be committed).</summary>
internal sealed class RecordingStore(ICheckpointStore inner) : ICheckpointStore
{
    public List<(long Ticks, KafkaCheckpoint Checkpoint)> Saves { get; } = [];

    public Action<KafkaCheckpoint>? Saved { get; set; }

    public KafkaCheckpoint? Last
    {
        get
        {
            lock (Saves)
            {
                return Saves.Count == 0 ? null : Saves[^1].Checkpoint;
            }
        }
    }

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

    public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var kafka = checkpoint.As(KafkaCheckpoint.Json);
        {
            lock (Saves)
            {
                Saves.Add((Stopwatch.GetTimestamp(), kafka));
            }

            Saved?.Invoke(kafka);
        }
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
}
