using Affinsy.Core.Sources;

namespace Affinsy.Core.Telemetry;

/// <summary>
/// Feeds <c>affinsy.checkpoint.lag</c> for one pipeline run. Checkpoints are opaque, so the source time a
/// checkpoint stands for is learnt from the batches as they are read: the newest order time (source update
/// time, else order date) up to and including the batch that carried it. Checkpoints are saved in the
/// order they were read, so entries are dropped as they are saved and the queue holds only open batches.
/// Thread-safe: batches are read on one task while checkpoints are saved from others.
/// </summary>
public sealed class CheckpointLag
{
    private readonly string pipeline;
    private readonly TimeProvider time;
    private readonly Queue<(Checkpoint Checkpoint, DateTimeOffset? SourceTime)> open = new();
    private readonly Lock sync = new();
    private DateTimeOffset? newest;

    public CheckpointLag(string pipeline, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        this.pipeline = pipeline;
        this.time = time;
    }

    /// <summary>A batch was read from the source (call in source order).</summary>
    public void Read(NormalizedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        DateTimeOffset? batchNewest = null;
        foreach (var order in batch.Orders)
        {
            if ((order.SourceUpdatedAt ?? order.OrderDate) is { } at && (batchNewest is null || at > batchNewest))
            {
                batchNewest = at;
            }
        }

        lock (sync)
        {
            if (batchNewest is not null && (newest is null || batchNewest > newest))
            {
                newest = batchNewest;
            }

            if (batch.Checkpoint is { } checkpoint)
            {
                open.Enqueue((checkpoint, newest));
            }
        }
    }

    /// <summary>A checkpoint read earlier was saved: the lag now counts from its source time.</summary>
    public void Saved(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        DateTimeOffset? sourceTime = null;
        lock (sync)
        {
            while (open.TryDequeue(out var entry))
            {
                if (ReferenceEquals(entry.Checkpoint, checkpoint))
                {
                    sourceTime = entry.SourceTime;
                    break;
                }
            }
        }

        if (sourceTime is { } at)
        {
            AffinsyMetrics.RecordCheckpoint(pipeline, at, time);
        }
    }
}
