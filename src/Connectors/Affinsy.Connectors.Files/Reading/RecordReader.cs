using System.Buffers;
using System.Globalization;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Splits a UTF-8 byte stream into records (RFC 4180 CSV when quoting is on, plain lines otherwise)
/// without allocating per field: fields are spans into a reusable buffer, unescaped into a scratch
/// buffer only when they contain doubled quotes. Tracks the stream offset of every record (the
/// checkpoint unit) and its physical line number (for refusals). CR, LF and CRLF all end a record;
/// line breaks inside quotes belong to the field.
/// <para>
/// A record is complete only once its line ending is read: a last line without one is a line still being
/// written, so it is not returned (see <see cref="UnterminatedTail"/>) and the checkpoint stays before it.
/// A record longer than <see cref="ReaderLimits.MaxRecordBytes"/> is skipped without being buffered and
/// returned as <see cref="IsOversized"/> with its first bytes; a quoted field that runs past
/// <see cref="ReaderLimits.MaxFieldBytes"/>, or past the end of the input across a line break, is an unclosed
/// quote and an <see cref="InvalidDataException"/> naming the line where it opened.
/// </para>
/// </summary>
internal sealed partial class RecordReader : IRawRecord, IDisposable
{
    private const byte Quote = (byte)'"';
    private readonly Stream _stream;
    private readonly byte _delimiter;
    private readonly bool _quoting;
    private readonly SearchValues<byte> _stops;
    private readonly ReaderLimits _limits;
    private readonly string _name;
    private byte[] _buffer;
    private byte[] _scratch;
    private byte[]? _kept;
    private int _keptLength;
    private int _scratchUsed;
    private int _pos;
    private int _end;
    private bool _eof;
    private long _bufferOffset;
    private long _nextLine;
    private Field[] _fields = new Field[32];
    private int _contentStart;
    private int _contentEnd;

    /// <param name="stream">Positioned at <paramref name="startOffset"/>.</param>
    /// <param name="startOffset">The offset of the stream's current position (0 or a checkpoint's).</param>
    /// <param name="startLine">The 1-based line number at that offset.</param>
    /// <param name="delimiter">Field delimiter, or null for whole lines (JSON Lines).</param>
    /// <param name="limits">Record and field size limits; null for the defaults.</param>
    /// <param name="name">The input's name in messages (the file name).</param>
    public RecordReader(Stream stream, long startOffset, long startLine, byte? delimiter, ReaderLimits? limits = null, string name = "the input")
    {
        _stream = stream;
        _bufferOffset = startOffset;
        _nextLine = startLine;
        _quoting = delimiter is not null;
        _delimiter = delimiter ?? (byte)'\n';
        _stops = delimiter is { } d ? SearchValues.Create([d, (byte)'\r', (byte)'\n']) : SearchValues.Create("\r\n"u8);
        _limits = limits ?? ReaderLimits.Default;
        _name = name;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        _scratch = ArrayPool<byte>.Shared.Rent(4 * 1024);
    }

    /// <summary>Offset where the current record starts.</summary>
    public long RecordStart { get; private set; }

    /// <summary>Offset just past the current record's line ending: where the next record starts.</summary>
    public long RecordEnd { get; private set; }

    /// <summary>1-based physical line the current record starts on.</summary>
    public long Line { get; private set; }

    /// <summary>The line number the next record starts on.</summary>
    public long NextLine => _nextLine;

    /// <summary>Fields in the current record (0 when it is oversized).</summary>
    public int FieldCount { get; private set; }

    /// <summary>True when a quoted field was not closed properly (text after the closing quote).</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>True when the record was longer than the limit: only its first bytes are in <see cref="Raw"/>.</summary>
    public bool IsOversized { get; private set; }

    /// <summary>After <see cref="ReadAsync"/> returned false: the line and size of a last line with no line ending yet, if any.</summary>
    public (long Line, long Bytes)? UnterminatedTail { get; private set; }

    /// <summary>The current record without its line ending (its first bytes when oversized).</summary>
    public ReadOnlySpan<byte> Raw => IsOversized ? _kept.AsSpan(0, _keptLength) : _buffer.AsSpan(_contentStart, _contentEnd - _contentStart);

    /// <summary>A field's value, quotes removed and doubled quotes unescaped; valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var field = _fields[index];
            var span = _buffer.AsSpan(field.Start, field.End - field.Start);
            return field.Escaped ? Unescape(span) : span;
        }
    }

    /// <inheritdoc />
    public string RawText() => RecordText.Decode(Raw);

    /// <summary>Offset in the input of the first byte of the record that is not UTF-8, or null when it is all UTF-8.</summary>
    public long? InvalidUtf8Offset() => RecordText.FirstInvalidUtf8(Raw) is var i and >= 0 ? RecordStart + i : null;

    /// <summary>Moves to the next non-blank complete record; false at the end of the input.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_bufferOffset == 0 && _pos == 0 && _end == 0 && !_eof)
            {
                await FillAsync(cancellationToken);
                if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
                {
                    _pos = 3;
                }
            }

            if (TryParse(out var next))
            {
                var start = _pos;
                _pos = next;
                if (FieldCount == 1 && _contentEnd == _contentStart)
                {
                    continue;
                }

                if (next - start > _limits.MaxRecordBytes)
                {
                    // Read whole because it fit in the buffer, but refused all the same, so the outcome never
                    // depends on how the input happened to be split.
                    Keep(_buffer.AsSpan(start, Math.Min(next - start, _limits.KeptBytes)));
                    FieldCount = 0;
                    IsOversized = true;
                }

                return true;
            }

            CheckOpenQuote();
            if (_eof)
            {
                NoteTail();
                return false;
            }

            if (_end - _pos >= _limits.MaxRecordBytes)
            {
                return await SkipOversizedAsync(cancellationToken);
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_scratch);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _bufferOffset += _pos;
            _pos = 0;
        }

        if (_end == _buffer.Length)
        {
            // Bounded by ReadAsync: a record reaching MaxRecordBytes is skipped, not buffered further.
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, Math.Max(_limits.MaxRecordBytes, _buffer.Length + 1)));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    // A quoted field still open when more input is needed: past the field limit, or at the end of the input
    // after a line break, no later line ending can be trusted, so the whole input is refused.
    private void CheckOpenQuote()
    {
        if (_openQuote < 0)
        {
            return;
        }

        var open = _buffer.AsSpan(_openQuote, _end - _openQuote);
        if (open.Length > _limits.MaxFieldBytes)
        {
            throw UnclosedQuote($"is still open {_limits.MaxFieldBytes.ToString(CultureInfo.InvariantCulture)} bytes later (max_field_bytes)");
        }

        if (_eof && open.Contains((byte)'\n'))
        {
            throw UnclosedQuote("is never closed: the rest of the file would be one field");
        }
    }

    private InvalidDataException UnclosedQuote(string what) => new(
        $"{_name}:{_openQuoteLine.ToString(CultureInfo.InvariantCulture)}: a quoted field opens on this line and {what}; nothing was read past it. "
        + "Fix the quoting there (a quote inside a value must be doubled: \"\"), or raise source.max_field_bytes if such a long value is real");

    private void NoteTail()
    {
        var rest = _buffer.AsSpan(_pos, _end - _pos);
        UnterminatedTail = rest.Trim(" \t\r\n"u8).IsEmpty ? null : (_nextLine, rest.Length);
    }

    private void Finish(int count, int contentEnd, int next, int embeddedLines, bool malformed)
    {
        FieldCount = count;
        IsMalformed = malformed;
        IsOversized = false;
        _contentStart = _pos;
        _contentEnd = contentEnd;
        _scratchUsed = 0;
        RecordStart = _bufferOffset + _pos;
        RecordEnd = _bufferOffset + next;
        Line = _nextLine;
        _nextLine += 1 + embeddedLines;
    }

    private void AddField(int index, int start, int end, bool escaped)
    {
        if (index == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[index] = new Field(start, end, escaped);
    }

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> span)
    {
        if (_scratchUsed + span.Length > _scratch.Length)
        {
            // The old array is not returned to the pool: spans of this record's earlier fields still point into it.
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_scratch.Length * 2, _scratchUsed + span.Length));
            Buffer.BlockCopy(_scratch, 0, bigger, 0, _scratchUsed);
            _scratch = bigger;
        }

        var start = _scratchUsed;
        for (var i = 0; i < span.Length; i++)
        {
            _scratch[_scratchUsed++] = span[i];
            if (span[i] == Quote && i + 1 < span.Length && span[i + 1] == Quote)
            {
                i++;
            }
        }

        return _scratch.AsSpan(start, _scratchUsed - start);
    }

    private readonly record struct Field(int Start, int End, bool Escaped);
}
