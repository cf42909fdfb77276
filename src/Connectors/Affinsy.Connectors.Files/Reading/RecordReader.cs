using System.Buffers;
using System.Text;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Splits a UTF-8 byte stream into records (RFC 4180 CSV when quoting is on, plain lines otherwise)
/// without allocating per field: fields are spans into a reusable buffer, unescaped into a scratch
/// buffer only when they contain doubled quotes. Tracks the stream offset of every record (the
/// checkpoint unit) and its physical line number (for refusals). CR, LF and CRLF all end a record;
/// line breaks inside quotes belong to the field.
/// </summary>
internal sealed class RecordReader : IRawRecord, IDisposable
{
    private const byte Quote = (byte)'"';
    private const int MaxRecordBytes = 16 * 1024 * 1024;
    private readonly Stream _stream;
    private readonly byte _delimiter;
    private readonly bool _quoting;
    private readonly SearchValues<byte> _stops;
    private byte[] _buffer;
    private byte[] _scratch;
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
    public RecordReader(Stream stream, long startOffset, long startLine, byte? delimiter)
    {
        _stream = stream;
        _bufferOffset = startOffset;
        _nextLine = startLine;
        _quoting = delimiter is not null;
        _delimiter = delimiter ?? (byte)'\n';
        _stops = delimiter is { } d ? SearchValues.Create([d, (byte)'\r', (byte)'\n']) : SearchValues.Create("\r\n"u8);
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

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>True when a quoted field was not closed properly (text after the closing quote, or no closing quote).</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>The current record without its line ending.</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(_contentStart, _contentEnd - _contentStart);

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
    public string RawText() => Encoding.UTF8.GetString(Raw);

    /// <summary>Moves to the next non-blank record; false at the end of the stream.</summary>
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
                _pos = next;
                if (FieldCount == 1 && _contentEnd == _contentStart)
                {
                    continue;
                }

                return true;
            }

            if (_eof)
            {
                return false;
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
            if (_buffer.Length >= MaxRecordBytes)
            {
                throw new InvalidDataException($"the record starting on line {_nextLine} is longer than {MaxRecordBytes / (1024 * 1024)} MiB: is the delimiter or quoting right?");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
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

    // Parses one record starting at _pos; false when more bytes are needed (or nothing is left at EOF).
    private bool TryParse(out int next)
    {
        next = _pos;
        var i = _pos;
        var count = 0;
        var embeddedLines = 0;
        var malformed = false;
        if (i >= _end)
        {
            return false;
        }

        while (true)
        {
            int fieldStart, fieldEnd;
            var escaped = false;
            if (_quoting && i < _end && _buffer[i] == Quote)
            {
                var j = i + 1;
                while (true)
                {
                    var k = _buffer.AsSpan(j, _end - j).IndexOf(Quote);
                    if (k < 0)
                    {
                        if (!_eof)
                        {
                            return false;
                        }

                        embeddedLines += _buffer.AsSpan(j, _end - j).Count((byte)'\n');
                        malformed = true;
                        fieldStart = i + 1;
                        fieldEnd = _end;
                        i = _end;
                        break;
                    }

                    embeddedLines += _buffer.AsSpan(j, k).Count((byte)'\n');
                    var q = j + k;
                    if (q + 1 >= _end && !_eof)
                    {
                        return false;
                    }

                    if (q + 1 < _end && _buffer[q + 1] == Quote)
                    {
                        escaped = true;
                        j = q + 2;
                        continue;
                    }

                    fieldStart = i + 1;
                    fieldEnd = q;
                    i = q + 1;
                    if (i < _end && !_stops.Contains(_buffer[i]))
                    {
                        // Text after a closing quote: keep the record, flag it, skip to the next stop.
                        malformed = true;
                        var stop = _buffer.AsSpan(i, _end - i).IndexOfAny(_stops);
                        if (stop < 0 && !_eof)
                        {
                            return false;
                        }

                        i = stop < 0 ? _end : i + stop;
                    }

                    break;
                }
            }
            else
            {
                var k = _buffer.AsSpan(i, _end - i).IndexOfAny(_stops);
                if (k < 0)
                {
                    if (!_eof)
                    {
                        return false;
                    }

                    k = _end - i;
                }

                fieldStart = i;
                fieldEnd = i + k;
                i += k;
            }

            AddField(count++, fieldStart, fieldEnd, escaped);
            if (i >= _end)
            {
                // Only reachable at EOF: the last record has no line ending.
                Finish(count, i, i, embeddedLines, malformed);
                next = i;
                return true;
            }

            var b = _buffer[i];
            if (_quoting && b == _delimiter)
            {
                i++;
                if (i >= _end && _eof)
                {
                    AddField(count++, i, i, false);
                    Finish(count, i, i, embeddedLines, malformed);
                    next = i;
                    return true;
                }

                if (i >= _end)
                {
                    return false;
                }

                continue;
            }

            if (b == (byte)'\r')
            {
                if (i + 1 >= _end && !_eof)
                {
                    return false;
                }

                next = i + 1 < _end && _buffer[i + 1] == (byte)'\n' ? i + 2 : i + 1;
            }
            else
            {
                next = i + 1;
            }

            Finish(count, i, next, embeddedLines, malformed);
            return true;
        }
    }

    private void Finish(int count, int contentEnd, int next, int embeddedLines, bool malformed)
    {
        FieldCount = count;
        IsMalformed = malformed;
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
