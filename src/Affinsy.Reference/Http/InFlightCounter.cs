using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Http;

/// <summary>Ingest requests in flight per key hash: the contract serves 2 normally and answers 504 past that.</summary>
internal sealed class InFlightCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _watch = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _total;

    /// <summary>Enters and returns how many were in flight including this one; dispose the lease to leave.</summary>
    public Lease Enter(string keyHash)
    {
        var box = _byKey.GetOrAdd(keyHash, _ => new StrongBox<int>());
        var lease = new Lease(this, box, Interlocked.Increment(ref box.Value));
        var total = Interlocked.Increment(ref _total);
        lock (_watch)
        {
            _waiters.RemoveAll(w => w.Count <= total && w.Reached.TrySetResult());
        }

        return lease;
    }

    /// <summary>Completes once at least <paramref name="count"/> ingests are in flight at the same time (a test hook).</summary>
    public Task WhenInFlightAsync(int count)
    {
        lock (_watch)
        {
            if (Volatile.Read(ref _total) >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    internal readonly struct Lease(InFlightCounter owner, StrongBox<int> box, int count) : IDisposable
    {
        /// <summary>Requests in flight for this key, this one included, when it entered.</summary>
        public int Count => count;

        public void Dispose()
        {
            Interlocked.Decrement(ref box.Value);
            Interlocked.Decrement(ref owner._total);
        }
    }
}
