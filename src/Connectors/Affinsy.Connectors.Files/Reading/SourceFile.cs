using Affinsy.Core.Sources;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Opens a source file at a checkpoint. Reads stop at the size seen when the sync started, so rows
/// appended meanwhile wait for the next sync instead of being read half-written. A file is the same
/// file when it did not shrink and its first bytes (up to 4 KiB, as many as the checkpoint covered)
/// hash the same; anything else is a replaced file and is read from the start.
/// <para>
/// Offsets count bytes of the decoded UTF-8 content: for a plain UTF-8 file they are file offsets (a resume
/// seeks); for a <c>.gz</c> file or another encoding the content is decoded from the start and the offset
/// skipped. A <c>.gz</c> file is decompressed once to its end before anything is read from it, so a truncated
/// or corrupt archive fails the run before any order is sent or any checkpoint moves.
/// </para>
/// </summary>
internal sealed class SourceFile
{
    private const int HeadBytes = 4096;

    private SourceFile(string path, long size, DateTimeOffset modified, int headLength, string headSha256, FileEncoding encoding)
    {
        Encoding = encoding;
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

    public bool IsGzip => IsGzipPath(Path);

    /// <summary>The encoding the content is read in: the configured one, unless a byte order mark says otherwise.</summary>
    public FileEncoding Encoding { get; private set; }

    /// <summary>The file name, for messages and positions.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>True when offsets are not file offsets, so resuming decodes from the start.</summary>
    public bool DecodesFromStart => IsGzip || Encoding != FileEncoding.Utf8;

    private bool BigEndian { get; set; }

    /// <summary>Identifies the file, checks a <c>.gz</c> file is complete, and settles its encoding.</summary>
    /// <param name="path">The file.</param>
    /// <param name="encoding">The configured encoding.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <param name="verify">False for a quick look (validation) that does not read a whole archive.</param>
    public static async Task<SourceFile> IdentifyAsync(string path, FileEncoding encoding, CancellationToken cancellationToken, bool verify = true)
    {
        var file = await IdentifyAsync(path, cancellationToken);
        if (file.IsGzip && verify)
        {
            await file.VerifyGzipAsync(cancellationToken);
        }

        await file.SettleEncodingAsync(encoding, cancellationToken);
        return file;
    }

    public static async Task<SourceFile> IdentifyAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"source file not found: {path}; check the pipeline's source.path", path);
        }

        var headLength = (int)Math.Min(HeadBytes, info.Length);
        var hash = await HashHeadAsync(path, headLength, cancellationToken);
        return new SourceFile(info.FullName, info.Length, info.LastWriteTimeUtc, headLength, hash, FileEncoding.Utf8);
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

    /// <summary>
    /// How far <paramref name="offset"/> is through the file, for the progress line; null when offsets count decoded
    /// bytes (gzip, another encoding), whose total is not known before the end.
    /// </summary>
    public SourceProgress? ProgressAt(long offset) => DecodesFromStart || Size <= 0 ? null : new SourceProgress(offset, Size);

    public FileCheckpoint CheckpointAt(long offset, long line) => new(Path, Size, Modified, HeadLength, HeadSha256, offset, line);

    /// <summary>Opens the decoded UTF-8 content positioned at <paramref name="offset"/>.</summary>
    public async Task<Stream> OpenAtAsync(long offset, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        Stream content = new BoundedStream(file, Size);
        if (!DecodesFromStart)
        {
            file.Seek(offset, SeekOrigin.Begin);
            return content;
        }

        if (IsGzip)
        {
            content = new GZipStream(content, CompressionMode.Decompress);
        }

        if (FileEncodings.Of(Encoding, BigEndian) is { } from)
        {
            content = System.Text.Encoding.CreateTranscodingStream(content, from, System.Text.Encoding.UTF8);
        }

        content = new ExplainingStream(content, Name, IsGzip, Encoding);
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

    private static bool IsGzipPath(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    // Decompression runs at hundreds of MB/s, while sending is paced by the API's rate limit: a second pass
    // costs little and is the only way to know the archive is whole before a batch (and its checkpoint) leaves.
    private async Task VerifyGzipAsync(CancellationToken cancellationToken)
    {
        if (await GzipCheck.ProblemAsync(Path, Size, cancellationToken) is { } problem)
        {
            throw ExplainingStream.NotCompleteGzip(Name, problem);
        }
    }

    // A byte order mark wins over the configured encoding: it is the file saying what it is.
    private async Task SettleEncodingAsync(FileEncoding configured, CancellationToken cancellationToken)
    {
        Encoding = FileEncoding.Utf8;
        var head = new byte[3];
        var length = 0;
        await using (var content = await OpenAtAsync(0, cancellationToken))
        {
            int read;
            while (length < head.Length && (read = await content.ReadAsync(head.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        (Encoding, BigEndian) = head.AsSpan(0, length) switch
        {
            [0xEF, 0xBB, 0xBF] => (FileEncoding.Utf8, false),
            [0xFF, 0xFE, ..] => (FileEncoding.Utf16, false),
            [0xFE, 0xFF, ..] => (FileEncoding.Utf16, true),
            _ => (configured, false),
        };
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
