using Affinsy.Core.Sources;

namespace Affinsy.Core.State;

/// <summary>
/// Keeps each pipeline's last safe checkpoint. Writes are atomic: after a crash the store holds either
/// the previous checkpoint or the new one, never a torn value.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The pipeline's checkpoint, or null when it has never completed a batch.</summary>
    Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken);

    /// <summary>Replaces the pipeline's checkpoint atomically.</summary>
    Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>Forgets the pipeline's checkpoint so the next sync starts from the beginning.</summary>
    Task ResetAsync(string pipeline, CancellationToken cancellationToken);

    /// <summary>Every pipeline with a checkpoint, with the time it was last written.</summary>
    Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A stored checkpoint and when it was written.</summary>
public sealed record CheckpointEntry(string Pipeline, Checkpoint Checkpoint, DateTimeOffset UpdatedAt);
