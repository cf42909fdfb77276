using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Http;

/// <summary>
/// The row list and the (order, product) index one ingest parse fills, kept for the next request once the import is
/// stored. Sized for a whole request (10,000 line items are about 0.9 MB of rows and 0.6 MB of index), they would
/// otherwise be fresh large-object-heap arrays on every request, each zeroed by the runtime and collected only by a
/// full (gen 2) collection.
/// </summary>
internal sealed class RowBuffers
{
    /// <summary>Buffers kept at most: one per request the server works on at a time is enough.</summary>
    private const int PoolSize = 4;

    /// <summary>Buffers grown past this many rows (a refused oversized body) are left to the collector.</summary>
    private const int MaxKeptRows = 32_768;

    private static readonly Stack<RowBuffers> Pool = new();

    private RowBuffers(int expectedRows)
    {
        Index = new Dictionary<(string, string), int>(expectedRows);
        Rows = new List<IngestRow>(expectedRows);
    }

    public Dictionary<(string, string), int> Index { get; }

    public List<IngestRow> Rows { get; }

    /// <summary>Empty buffers with room for the rows, reused when one is free.</summary>
    public static RowBuffers Rent(int expectedRows)
    {
        lock (Pool)
        {
            if (Pool.TryPop(out var buffers))
            {
                buffers.Index.EnsureCapacity(expectedRows);
                buffers.Rows.EnsureCapacity(expectedRows);
                return buffers;
            }
        }

        return new RowBuffers(expectedRows);
    }

    /// <summary>Empties the buffers (so they hold no strings) and keeps them for the next parse.</summary>
    public void Return()
    {
        if (Rows.Capacity > MaxKeptRows)
        {
            return;
        }

        Index.Clear();
        Rows.Clear();
        lock (Pool)
        {
            if (Pool.Count < PoolSize)
            {
                Pool.Push(this);
            }
        }
    }
}
