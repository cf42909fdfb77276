using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Whether a gzip file is whole. .NET's <see cref="GZipStream"/> ends quietly where a truncated archive ends,
/// so a cut-short download would read as a shorter file with a half last line. A whole file ends with its
/// last member's trailer: the CRC-32 and length (mod 2^32) of that member's data. Decompressing everything
/// once also surfaces corruption anywhere before any batch leaves.
/// </summary>
internal static class GzipCheck
{
    private const int TrailerBytes = 8;

    /// <summary>Null when the first <paramref name="size"/> bytes of the file are complete gzip members, else what is wrong.</summary>
    public static async Task<string?> ProblemAsync(string path, long size, CancellationToken cancellationToken)
    {
        if (size == 0)
        {
            // An empty file (created, not yet written): nothing to read, like an empty plain file.
            return null;
        }

        if (size < 18)
        {
            return "it is shorter than the smallest gzip file";
        }

        var (crc, length) = await TrailerAsync(path, size, cancellationToken);
        var whole = await DecompressAsync(path, 0, size, cancellationToken);
        if (whole is null)
        {
            return "its compressed data is corrupt";
        }

        if (whole.Value == (crc, length))
        {
            return null;
        }

        // Several members (rows appended with gzip -c >> file): the trailer belongs to the last one alone.
        foreach (var start in await MemberStartsFromEndAsync(path, size, cancellationToken))
        {
            if (await DecompressAsync(path, start, size, cancellationToken) == (crc, length))
            {
                return null;
            }
        }

        return "it ends in the middle of compressed data";
    }

    private static async Task<(uint Crc, uint Length)> TrailerAsync(string path, long size, CancellationToken cancellationToken)
    {
        var trailer = new byte[TrailerBytes];
        await using var file = Open(path);
        file.Seek(size - TrailerBytes, SeekOrigin.Begin);
        await file.ReadExactlyAsync(trailer, cancellationToken);
        return (BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4)));
    }

    // CRC-32 and length mod 2^32 of the data decompressed from [start, end); null when it is not gzip data.
    private static async Task<(uint Crc, uint Length)?> DecompressAsync(string path, long start, long end, CancellationToken cancellationToken)
    {
        var file = Open(path);
        file.Seek(start, SeekOrigin.Begin);
        await using var gzip = new GZipStream(new BoundedStream(file, end), CompressionMode.Decompress);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            var crc = new Crc32();
            long total = 0;
            int read;
            while ((read = await gzip.ReadAsync(buffer, cancellationToken)) > 0)
            {
                crc.Append(buffer.AsSpan(0, read));
                total += read;
            }

            return (crc.GetCurrentHashAsUInt32(), unchecked((uint)total));
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Offsets after 0 holding a gzip member header (1F 8B 08), last first; a few are chance bytes inside
    // compressed data, which fail to decompress or to match the trailer.
    private static async Task<List<long>> MemberStartsFromEndAsync(string path, long size, CancellationToken cancellationToken)
    {
        var starts = new List<long>();
        await using var file = Open(path);
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long offset = 0;
            var carried = 0;
            while (offset + carried < size)
            {
                var read = await file.ReadAsync(buffer.AsMemory(carried, (int)Math.Min(buffer.Length - carried, size - offset - carried)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, carried + read);
                for (var i = span.IndexOf((byte)0x1F); i >= 0 && i + 2 < span.Length; i = Next(span, i))
                {
                    if (span[i + 1] == 0x8B && span[i + 2] == 0x08 && offset + i > 0)
                    {
                        starts.Add(offset + i);
                    }
                }

                // Keep the last two bytes: a header may straddle two reads.
                carried = Math.Min(2, span.Length);
                span[^carried..].CopyTo(buffer);
                offset += span.Length - carried;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        starts.Reverse();
        return starts;
    }

    private static int Next(ReadOnlySpan<byte> span, int i)
    {
        var k = span[(i + 1)..].IndexOf((byte)0x1F);
        return k < 0 ? -1 : i + 1 + k;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
