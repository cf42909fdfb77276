using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Host.Tests;

/// <summary>Checkpoints and dead letters in memory, for syncs whose state the test reads back.</summary>
internal sealed class MemoryState : ICheckpointStore, IDeadLetterStore
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Checkpoint> checkpoints = new(StringComparer.Ordinal);
    private readonly List<(string Pipeline, DeadLetter Letter)> letters = [];

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            return Task.FromResult(checkpoints.GetValueOrDefault(pipeline));
        }
    }

    public Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            checkpoints[pipeline] = checkpoint;
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            checkpoints.Remove(pipeline);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken)
    {
        lock (sync)
        {
            return Task.FromResult<IReadOnlyList<CheckpointEntry>>(
                [.. checkpoints.Select(c => new CheckpointEntry(c.Key, c.Value, DateTimeOffset.UnixEpoch))]);
        }
    }

    public Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            letters.Add((pipeline, letter));
        }

        return Task.CompletedTask;
    }

    public Task<long> CountAsync(string pipeline, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            return Task.FromResult((long)letters.Count(l => l.Pipeline == pipeline));
        }
    }
}
