using System.IO.Compression;

namespace Affinsy.Reference.Storage;

/// <summary>
/// A report's <c>results</c> JSON as stored: a BLOB of UTF-8 deflated at the fastest level, or, from servers before
/// it, TEXT (plain UTF-8). RFM's 50,000-customer results are 6 MB of JSON and about 1 MB deflated; writing 5 MB less
/// into SQLite (and its WAL, and the checkpoint that a 6 MB commit sets off) costs less than deflating and inflating.
/// The GET inflates the bytes straight into the response; nothing parses them again.
/// </summary>
internal sealed class StoredResults
{
    private readonly byte[] _bytes;

    private StoredResults(byte[] bytes, bool deflated)
    {
        _bytes = bytes;
        Deflated = deflated;
    }

    /// <summary>False for results stored as TEXT by an earlier server.</summary>
    public bool Deflated { get; }

    /// <summary>The column value to store for UTF-8 JSON results.</summary>
    public static byte[] Pack(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var packed = new MemoryStream(json.Length / 4);
        using (var deflate = new DeflateStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(json);
        }

        return packed.ToArray();
    }

    /// <summary>Results read back: the column's bytes, deflated when it held a BLOB.</summary>
    public static StoredResults Read(byte[] column, bool isBlob) => new(column, isBlob);

    /// <summary>Writes the UTF-8 JSON to <paramref name="output"/>.</summary>
    public async Task CopyToAsync(Stream output, CancellationToken ct)
    {
        if (!Deflated)
        {
            await output.WriteAsync(_bytes, ct);
            return;
        }

        await using var inflate = new DeflateStream(new MemoryStream(_bytes, writable: false), CompressionMode.Decompress);
        await inflate.CopyToAsync(output, ct);
    }
}
