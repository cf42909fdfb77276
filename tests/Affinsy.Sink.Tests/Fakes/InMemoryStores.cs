using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>A checkpoint store that records every save, in order.</summary>
internal sealed class RecordingCheckpointStore : ICheckpointStore
{
    private readonly Lock sync = new();
    private readonly List<string> saves = [];
    private Checkpoint? current;

    public RecordingCheckpointStore(Checkpoint? start = null) => current = start;

    public IReadOnlyList<string> Saves
    {
        get
        {
            lock (sync)
            {
                return [.. saves];
            }
        }
    }

    public Checkpoint? Current
    {
        get
        {
            lock (sync)
            {
                return current;
            }
        }
    }

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => Task.FromResult(Current);

    public Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            saves.Add(checkpoint.Value);
            current = checkpoint;
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            current = null;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckpointEntry>>([]);
}

/// <summary>A dead-letter store in memory.</summary>
internal sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly Lock sync = new();
    private readonly List<(string Pipeline, DeadLetter Letter)> letters = [];

    public IReadOnlyList<DeadLetter> Letters
    {
        get
        {
            lock (sync)
            {
                return [.. letters.Select(l => l.Letter)];
            }
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
