using System.IO.Compression;
using System.Security.Cryptography;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Opens a source file at a checkpoint. Reads stop at the size seen when the sync started, so rows
/// appended meanwhile wait for the next sync instead of being read half-written. A file is the same
/// file when it did not shrink and its first bytes (up to 4 KiB, as many as the checkpoint covered)
/// hash the same; anything else is a replaced file and is read from the start.
/// </summary>
internal sealed class SourceFile
{
    private const int HeadBytes = 4096;

    private SourceFile(string path, long size, DateTimeOffset modified, int headLength, string headSha256)
    {
        Path = path;
        Size = size;
        Modified = modified;
        HeadLength = headLength;
        HeadSha256 = headSha256;
    }

    public string Path { get; }

    public long Size { get; }

    public DateTimeOffset Modified { get; }

    public int HeadLength { get; }

    public string HeadSha256 { get; }

    public bool IsGzip => Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static async Task<SourceFile> IdentifyAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"source file not found: {path}; check the pipeline's source.path", path);
        }

        var headLength = (int)Math.Min(HeadBytes, info.Length);
        var hash = await HashHeadAsync(path, headLength, cancellationToken);
        return new SourceFile(info.FullName, info.Length, info.LastWriteTimeUtc, headLength, hash);
    }

    /// <summary>Where to start: the checkpoint's position when it belongs to this same file, else the beginning.</summary>
    public async Task<(long Offset, long Line)> ResumePointAsync(FileCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint is null || !string.Equals(checkpoint.Path, Path, StringComparison.Ordinal) || Size < checkpoint.Size)
        {
            return (0, 1);
        }

        var sameHead = checkpoint.HeadLength == HeadLength
            ? checkpoint.HeadSha256 == HeadSha256
            : checkpoint.HeadSha256 == await HashHeadAsync(Path, checkpoint.HeadLength, cancellationToken);
        return sameHead ? (checkpoint.Offset, checkpoint.Line) : (0, 1);
    }

    public FileCheckpoint CheckpointAt(long offset, long line) => new(Path, Size, Modified, HeadLength, HeadSha256, offset, line);

    /// <summary>Opens the (decompressed) content positioned at <paramref name="offset"/>.</summary>
    public async Task<Stream> OpenAtAsync(long offset, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        Stream content = new BoundedStream(file, Size);
        if (!IsGzip)
        {
            file.Seek(offset, SeekOrigin.Begin);
            return content;
        }

        content = new GZipStream(content, CompressionMode.Decompress);
        var skip = new byte[64 * 1024];
        var remaining = offset;
        while (remaining > 0)
        {
            var read = await content.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            remaining -= read;
        }

        return content;
    }

    private static async Task<string> HashHeadAsync(string path, int length, CancellationToken cancellationToken)
    {
        var head = new byte[length];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        var total = 0;
        while (total < length)
        {
            var read = await stream.ReadAsync(head.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return Convert.ToHexStringLower(SHA256.HashData(head.AsSpan(0, total)));
    }
}
