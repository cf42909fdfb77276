using Affinsy.Core.State;

namespace Affinsy.Sink.Replay;

/// <summary>
/// The dead-letter store a replay runs with: writes go to the pipeline's store (which keeps one letter per identity,
/// so a record refused again for its old reason adds nothing) and are remembered, so the replay can tell which
/// letters failed again and why.
/// </summary>
internal sealed class ReplayLetterStore(IDeadLetterStore inner) : IDeadLetterStore
{
    private readonly Lock _sync = new();
    private readonly List<DeadLetter> _written = [];

    /// <summary>Every letter written during the replay (before the store's de-duplication).</summary>
    public IReadOnlyList<DeadLetter> Written
    {
        get
        {
            lock (_sync)
            {
                return [.. _written];
            }
        }
    }

    public async Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(pipeline, letter, cancellationToken);
        lock (_sync)
        {
            _written.Add(letter);
        }
    }

    public async Task WriteManyAsync(string pipeline, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        await inner.WriteManyAsync(pipeline, letters, cancellationToken);
        lock (_sync)
        {
            _written.AddRange(letters);
        }
    }

    public string LocationOf(string pipeline) => inner.LocationOf(pipeline);

    public Task<long> CountAsync(string pipeline, CancellationToken cancellationToken) => inner.CountAsync(pipeline, cancellationToken);

    public void Clear()
    {
        lock (_sync)
        {
            _written.Clear();
        }
    }
}
