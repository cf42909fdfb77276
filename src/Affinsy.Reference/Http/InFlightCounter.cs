using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Http;

/// <summary>Ingest requests in flight per key hash: the contract serves 2 normally and answers 504 past that.</summary>
internal sealed class InFlightCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _byKey = new(StringComparer.Ordinal);

    /// <summary>Enters and returns how many were in flight including this one; dispose the lease to leave.</summary>
    public Lease Enter(string keyHash)
    {
        var box = _byKey.GetOrAdd(keyHash, _ => new StrongBox<int>());
        return new Lease(box, Interlocked.Increment(ref box.Value));
    }

    internal readonly struct Lease(StrongBox<int> box, int count) : IDisposable
    {
        /// <summary>Requests in flight for this key, this one included, when it entered.</summary>
        public int Count => count;

        public void Dispose() => Interlocked.Decrement(ref box.Value);
    }
}
