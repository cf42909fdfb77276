using System.Collections.Concurrent;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Benchmarks;

/// <summary>A checkpoint store in memory: the benchmark measures the sink's sending, not state on disk.</summary>
internal sealed class MemoryCheckpointStore(TimeProvider time) : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, CheckpointEntry> entries = new(StringComparer.Ordinal);

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) =>
        Task.FromResult(entries.TryGetValue(pipeline, out var entry) ? entry.Checkpoint : null);

    public Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        entries[pipeline] = new CheckpointEntry(pipeline, checkpoint, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken)
    {
        entries.TryRemove(pipeline, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckpointEntry>>([.. entries.Values]);
}

/// <summary>A dead-letter store in memory that only counts: a benchmark run should have none.</summary>
internal sealed class MemoryDeadLetterStore : IDeadLetterStore
{
    private long count;

    public Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref count);
        return Task.CompletedTask;
    }

    public Task<long> CountAsync(string pipeline, CancellationToken cancellationToken) => Task.FromResult(Interlocked.Read(ref count));
}
