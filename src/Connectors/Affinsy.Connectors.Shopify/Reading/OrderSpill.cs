using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Affinsy.Connectors.Shopify.Api;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Reassembles orders from an ungrouped bulk result in bounded memory. Since 2026-01 a line item (<c>__parentId</c>)
/// may sit anywhere in the file, before or after its order, so no order is known complete before the file ends.
/// Pass 1 parses each line once as JSON (<see cref="BulkLineKeys"/>: its <c>id</c> / <c>__parentId</c>, escaped slashes
/// included, and the fields the mapping needs) and appends the raw line with those fields (<see cref="SpillFields"/>)
/// to one of N partition files chosen by the order's numeric id; pass 2 loads one partition at a time and joins its
/// orders with their lines in memory, reading the stored fields, never the JSON again (the raw line is for dead letters).
/// N (<see cref="PartitionsFor"/>) is picked from the operation's <c>objectCount</c> or, when Shopify does not report
/// it, from the lines its <c>fileSize</c> could hold at <see cref="MinBytesPerLine"/> each, so a partition holds about
/// <see cref="ObjectsPerPartition"/> objects (a few MB); when Shopify gives neither, N is the maximum, 512.
/// Memory bound: pass 2 holds one partition (its bytes, plus 24 bytes of index per line) and pass 1 at most 512 write
/// buffers of 32 KB (16 MB). Up to 512 x 20,000, about 10 million result lines (some 3 million orders), a partition
/// stays near 20,000 lines; beyond that N stays 512 and a partition grows with the export (50 million lines: about
/// 100,000 lines, some 50 MB). A partition over 2 GB (an export of about 1 TB) cannot be loaded and fails the sync
/// with a message saying so.
/// Why hash partitions rather than a temporary SQLite file: every byte is written once and read once sequentially,
/// with no B-tree, index build or per-row statement; SQLite would need an index on the parent id over every line
/// (a sort of the whole file) and costs several times the CPU per row. Disk used is the result's size plus 25 bytes
/// and the read fields (about 100-150 bytes) per line; the files are deleted when the export is read or abandoned. The per-line methods are compiled optimized
/// from the first call, as <see cref="BulkResultParser"/>'s are (tiered compilation ran them instrumented for seconds).
/// A file that cannot be written (disk full, directory gone) is a <see cref="SpillWriteException"/>, never mistaken
/// for a bad result.
/// </summary>
public sealed class OrderSpill : IDisposable
{
    internal const int ObjectsPerPartition = 20_000;

    /// <summary>
    /// The fewest bytes a result line takes, to estimate lines from <c>fileSize</c>: an order or line item line of our
    /// query is 250 to 400 bytes (the <c>shopify</c> benchmark sizes its spill at 300), so 200 over-estimates the lines
    /// and errs towards smaller partitions.
    /// </summary>
    internal const int MinBytesPerLine = 200;

    internal const int MaxPartitions = 512;
    private const int RecordHeader = 4 + 4 + 1 + 8 + 8;

    // Per partition file: 32 KB halves the write calls of 16 KB; 512 partitions at most hold 16 MB of buffers.
    private const int WriteBuffer = 32 * 1024;
    private readonly string directory;
    private readonly FileStream?[] writers;
    private readonly SpillFieldWriter fields = new();
    private byte[] buffer = [];
    private int partition = -1;

    /// <summary>A spill sized for about <paramref name="objectCount"/> result lines, in a new directory under <paramref name="parentDirectory"/>.</summary>
    public OrderSpill(long objectCount, string parentDirectory)
        : this(parentDirectory, PartitionsFor(Math.Max(1, objectCount), 0))
    {
    }

    /// <summary>A spill of exactly <paramref name="partitions"/> partition files (a resumed export reuses its count, so orders come back in the same order).</summary>
    internal OrderSpill(string parentDirectory, int partitions)
    {
        Partitions = Math.Clamp(partitions, 1, MaxPartitions);
        directory = Path.Combine(parentDirectory, "affinsy-shopify-bulk-" + Guid.NewGuid().ToString("N"));
        writers = new FileStream?[Partitions];
        Guard(() => Directory.CreateDirectory(directory));
    }

    internal int Partitions { get; }

    /// <summary>
    /// Partitions for a result of <paramref name="objectCount"/> lines and <paramref name="fileSize"/> bytes as Shopify
    /// reports them (0: not reported). A completed operation's <c>objectCount</c> is the exact count of result lines, so
    /// it decides when reported; without it the lines <c>fileSize</c> could hold at <see cref="MinBytesPerLine"/>; with
    /// neither, the maximum.
    /// </summary>
    internal static int PartitionsFor(long objectCount, long fileSize)
    {
        var lines = objectCount > 0 ? objectCount : fileSize / MinBytesPerLine;
        return lines <= 0 ? MaxPartitions : (int)Math.Clamp((lines + ObjectsPerPartition - 1) / ObjectsPerPartition, 1, MaxPartitions);
    }

    /// <summary>This spill's own directory (deleted with it).</summary>
    internal string Location => directory;

    /// <summary>Bytes written to the partition files (the temporary disk used).</summary>
    internal long BytesWritten { get; private set; }

    /// <summary>Result lines filed in pass 1 (orders, line items and orphans): the total of the send phase's progress.</summary>
    internal long Objects { get; private set; }

    /// <summary>Orders in the loaded partition, in file order; their line items are reached through <see cref="FirstChild"/>.</summary>
    internal List<Group> Orders { get; } = [];

    /// <summary>Line items of the loaded partition whose order is not in the result (or appears twice).</summary>
    internal List<Entry> Orphans { get; } = [];

    private List<Entry> Children { get; } = [];

    private Dictionary<long, int> OrderIndex { get; } = [];

    private List<(Entry Entry, long Key)> PendingChildren { get; } = [];

    /// <summary>Pass 1: files one result line. A line that is not a JSON object with a Shopify gid makes the result unusable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<byte> line, long lineNumber)
    {
        var (isChild, key) = BulkLineKeys.Read(line, lineNumber, fields);
        var read = fields.Written;
        Span<byte> header = stackalloc byte[RecordHeader];
        BinaryPrimitives.WriteInt32LittleEndian(header, line.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], read.Length);
        header[8] = isChild ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header[9..], key);
        BinaryPrimitives.WriteInt64LittleEndian(header[17..], lineNumber);
        try
        {
            var target = writers[(int)((ulong)key % (ulong)Partitions)] ??= new FileStream(
                Path.Combine(directory, $"{(int)((ulong)key % (ulong)Partitions)}.part"), FileMode.CreateNew, FileAccess.Write, FileShare.None, WriteBuffer);
            target.Write(header);
            target.Write(line);
            target.Write(read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpillWriteException(e);
        }

        BytesWritten += RecordHeader + line.Length + read.Length;
        Objects++;
    }

    /// <summary>Ends pass 1: what is still buffered reaches the disk (where a full disk shows up last).</summary>
    public void Complete() => Guard(CloseWriters);

    /// <summary>Pass 2: loads the next partition; false after the last.</summary>
    internal bool NextPartition()
    {
        Orders.Clear();
        Orphans.Clear();
        Children.Clear();
        OrderIndex.Clear();
        while (++partition < Partitions)
        {
            var path = Path.Combine(directory, $"{partition}.part");
            if (!File.Exists(path))
            {
                continue;
            }

            var length = Loadable(path, new FileInfo(path).Length);
            if (buffer.Length < length)
            {
                if (buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                buffer = ArrayPool<byte>.Shared.Rent(length);
            }

            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.SequentialScan))
            {
                file.ReadExactly(buffer, 0, length);
            }

            File.Delete(path);
            Index(length);
            return true;
        }

        return false;
    }

    /// <summary>The first line item of an order (-1: none); follow with <see cref="NextChild"/>.</summary>
    internal int FirstChild(int order) => Orders[order].FirstChild;

    /// <summary>The line item after <paramref name="child"/> in its order (-1: none).</summary>
    internal int NextChild(int child) => Children[child].Next;

    /// <summary>The line item at index <paramref name="child"/>.</summary>
    internal Entry Child(int child) => Children[child];

    /// <summary>The bytes of <paramref name="entry"/>'s line, valid until the next partition is loaded.</summary>
    internal ReadOnlyMemory<byte> Line(Entry entry) => buffer.AsMemory(entry.Offset, entry.Length);

    /// <summary>The fields pass 1 read from the line (<see cref="SpillFieldReader"/>), stored right after it.</summary>
    internal ReadOnlySpan<byte> Fields(Entry entry) => buffer.AsSpan(entry.Offset + entry.Length, entry.FieldsLength);

    public void Dispose()
    {
        try
        {
            CloseWriters();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The sync already failed (or the spill is abandoned): what was buffered is not needed.
        }

        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = [];
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere stays in the temp directory.
        }
    }

    /// <summary>A partition's length as an array size; one over 2 GB (an export of about 1 TB) cannot be held and says so.</summary>
    internal static int Loadable(string path, long length) => length <= Array.MaxLength
        ? (int)length
        : throw new ShopifyApiException(string.Create(CultureInfo.InvariantCulture,
            $"The Shopify bulk result is too large to reassemble: its partition file {path} holds {length} bytes, more than one array can (2 GB), "
            + $"with {MaxPartitions} partitions. Set start_date to export a shorter period at a time."));

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpillWriteException(e);
        }
    }

    /// <summary>Closes every partition file, even after one failed to flush; then rethrows the first failure.</summary>
    private void CloseWriters()
    {
        Exception? first = null;
        for (var i = 0; i < writers.Length; i++)
        {
            try
            {
                writers[i]?.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                first ??= e;
            }

            writers[i] = null;
        }

        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }

    /// <summary>
    /// Indexes the loaded partition: orders first (a line item may come before its order), then each line item onto
    /// its order. One walk over the buffer: the line items' headers are kept aside instead of striding it twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Index(int length)
    {
        for (var at = 0; at < length;)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
            var read = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at + 4));
            var entry = new Entry(at + RecordHeader, size, read, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at + 17)), -1);
            var key = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at + 9));
            if (buffer[at + 8] == 1)
            {
                PendingChildren.Add((entry, key));
            }
            else if (OrderIndex.TryAdd(key, Orders.Count))
            {
                Orders.Add(new Group(entry, -1, -1));
            }
            else
            {
                Orphans.Add(entry);
            }

            at += RecordHeader + size + read;
        }

        foreach (var (entry, key) in PendingChildren)
        {
            if (!OrderIndex.TryGetValue(key, out var order))
            {
                Orphans.Add(entry);
                continue;
            }

            // Appended at the tail, so an order's lines keep their file order.
            var group = Orders[order];
            Children.Add(entry);
            if (group.LastChild < 0)
            {
                Orders[order] = group with { FirstChild = Children.Count - 1, LastChild = Children.Count - 1 };
            }
            else
            {
                Children[group.LastChild] = Children[group.LastChild] with { Next = Children.Count - 1 };
                Orders[order] = group with { LastChild = Children.Count - 1 };
            }
        }

        PendingChildren.Clear();
    }

    /// <summary>One line of the loaded partition: where its bytes (then its read fields) are, its line number in the result.</summary>
    internal readonly record struct Entry(int Offset, int Length, int FieldsLength, long LineNumber, int Next);

    /// <summary>An order line and the first and last of its line items (indices into the children, -1: none).</summary>
    internal readonly record struct Group(Entry Order, int FirstChild, int LastChild);
}

/// <summary>The temporary files could not be written (disk full, directory removed or read-only): the result itself is fine.</summary>
internal sealed class SpillWriteException(Exception inner) : Exception(inner.Message, inner);

/// <summary>A bulk result that cannot be read as a whole: the export must be started again.</summary>
internal sealed class BulkResultUnusableException(string message, Exception? inner = null) : Exception(message, inner);
