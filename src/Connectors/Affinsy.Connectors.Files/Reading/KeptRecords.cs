using System.Buffers;
using System.Globalization;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// The raw bytes of the orders of the batch being built, so the dead letter of an order the pipeline refuses holds what
/// <c>dead-letters replay</c> needs to read it again: for CSV the header line and every row of the order, for JSON
/// Lines its line. On the happy path a row costs one copy into a pooled buffer reused batch after batch (no string);
/// text is made only for the orders that will be refused, before the buffer is reused (<see cref="Clear"/>).
/// <para>
/// An order's kept rows are contiguous here because its rows are contiguous within a batch (the CSV source cuts the
/// batch before a late part; a newer JSON Lines version starts a new range). A CSV order longer than
/// <see cref="MaxOrderBytes"/> keeps its first rows and a <see cref="CutLine"/>: its letter is shown but not replayed.
/// </para>
/// </summary>
internal sealed class KeptRecords(string? header)
{
    /// <summary>How many bytes of a CSV order's rows a dead letter keeps.</summary>
    public const int MaxOrderBytes = 64 * 1024;

    /// <summary>Starts the last line of a record kept only in part; a replay refuses such a record.</summary>
    public const string CutLine = "# affinsy-connect: record cut";

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _length;

    /// <summary>The CSV header line every letter starts with; null for JSON Lines.</summary>
    public string? Header => header;

    /// <summary>Starts an order's range at the end of what is kept.</summary>
    public void Start(Range range)
    {
        ArgumentNullException.ThrowIfNull(range);
        (range.Offset, range.Length, range.Cut) = (_length, 0, false);
    }

    /// <summary>Adds a row to the order's range (with a line break before all but its first).</summary>
    public void Add(Range range, IRawRecord raw)
    {
        if (range.Cut)
        {
            return;
        }

        var bytes = raw.Raw;
        var separator = range.Length == 0 ? 0 : 1;
        var limit = header is null ? int.MaxValue : MaxOrderBytes;
        if (range.Offset + range.Length != _length || raw.IsOversized || (long)range.Length + separator + bytes.Length > limit)
        {
            // Another order's rows came in between (never expected), or the order is too long to keep whole.
            range.Cut = true;
            return;
        }

        Ensure(_length + separator + bytes.Length);
        if (separator == 1)
        {
            _buffer[_length++] = (byte)'\n';
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        range.Length += separator + bytes.Length;
    }

    /// <summary>The record text of a range: the header, the rows, and a <see cref="CutLine"/> when not all were kept.</summary>
    public string Text(Range range, int rows, long lastLine)
    {
        var body = RecordText.Decode(_buffer.AsSpan(range.Offset, range.Length));
        var text = header is null ? body : header + "\n" + body;
        return range.Cut
            ? text + "\n" + CutLine + string.Create(CultureInfo.InvariantCulture, $" after {range.Length} bytes ({rows} rows up to line {lastLine}; a letter keeps {MaxOrderBytes / 1024} KiB of an order): not replayable")
            : text;
    }

    /// <summary>The text of one refused row: the header and the row (its start and a <see cref="CutLine"/> when oversized).</summary>
    public string Row(IRawRecord raw)
    {
        var text = header is null ? raw.RawText() : header + "\n" + raw.RawText();
        return raw.IsOversized ? text + "\n" + CutLine + " (longer than max_record_bytes: only its start is kept): not replayable" : text;
    }

    /// <summary>Forgets the batch's rows (after the letters that need them were made); the buffer is reused.</summary>
    public void Clear() => _length = 0;

    private void Ensure(int size)
    {
        if (size <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>Where an order's rows are in the buffer (the pending order itself, so an order costs no extra object).</summary>
    internal abstract class Range
    {
        public int Offset { get; set; }

        public int Length { get; set; }

        /// <summary>True when not every row of the order is kept.</summary>
        public bool Cut { get; set; }
    }
}
