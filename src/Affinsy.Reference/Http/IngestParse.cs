using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Http;

/// <summary>The parse of an ingest body: malformed, or counted and validated (details empty when valid).</summary>
internal sealed record IngestParse(
    string? DatasetId,
    IReadOnlyList<IngestRow> Rows,
    int Orders,
    int LineItems,
    IReadOnlyList<ErrorDetail> Details,
    string? MalformedMessage)
{
    private RowBuffers? _buffers;

    /// <summary>The pooled buffers <see cref="Rows"/> lives in, if any; see <see cref="Release"/>.</summary>
    public RowBuffers? Buffers
    {
        get => _buffers;
        init => _buffers = value;
    }

    public static IngestParse Malformed(string message) => new(null, [], 0, 0, [], message);

    /// <summary>
    /// Gives the row buffers back for the next request once nothing reads <see cref="Rows"/> any more (the import is
    /// stored, or the request was refused); <see cref="Rows"/> must not be read after this. Once only; a parse never
    /// released just leaves its buffers to the collector.
    /// </summary>
    public void Release() => Interlocked.Exchange(ref _buffers, null)?.Return();
}
