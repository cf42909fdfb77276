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
    public static IngestParse Malformed(string message) => new(null, [], 0, 0, [], message);
}
