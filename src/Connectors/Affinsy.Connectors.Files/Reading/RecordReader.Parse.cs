namespace Affinsy.Connectors.Files.Reading;

/// <summary>The in-buffer parser: one record at a time, or "need more bytes".</summary>
internal sealed partial class RecordReader
{
    // Buffer index of the quote opening a field still open when TryParse last ran out of bytes, else -1.
    private int _openQuote = -1;
    private long _openQuoteLine;

    /// <summary>
    /// Parses one record starting at <c>_pos</c>; false when its line ending is not in the buffer yet (at the end of
    /// the input too: a last line without a line ending is not a record).
    /// </summary>
    /// <remarks>
    /// Over 60 lines because it is the byte scanner of every CSV/JSONL row (the files hot path): its scan state (position,
    /// field count, embedded line count, malformed flag) lives in locals across fields, which helpers would have to take
    /// by <c>ref</c>, costing inlining and hiding which state each branch changes.
    /// </remarks>
    private bool TryParse(out int next)
    {
        next = _pos;
        _openQuote = -1;
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
            if (_quoting && _buffer[i] == Quote)
            {
                var j = i + 1;
                while (true)
                {
                    var k = _buffer.AsSpan(j, _end - j).IndexOf(Quote);
                    if (k < 0)
                    {
                        _openQuote = i;
                        _openQuoteLine = _nextLine + embeddedLines;
                        return false;
                    }

                    var q = j + k;
                    if (q + 1 >= _end)
                    {
                        // A doubled quote or a closing one: the next byte decides.
                        _openQuote = i;
                        _openQuoteLine = _nextLine + embeddedLines;
                        return false;
                    }

                    if (_buffer[q + 1] == Quote)
                    {
                        escaped = true;
                        j = q + 2;
                        continue;
                    }

                    if (q - i - 1 > _limits.MaxFieldBytes)
                    {
                        _openQuote = i;
                        _openQuoteLine = _nextLine + embeddedLines;
                        throw UnclosedQuote($"runs for {(q - i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes, more than max_field_bytes");
                    }

                    embeddedLines += _buffer.AsSpan(i + 1, q - i - 1).Count((byte)'\n');
                    fieldStart = i + 1;
                    fieldEnd = q;
                    i = q + 1;
                    if (!_stops.Contains(_buffer[i]))
                    {
                        // Text after a closing quote: keep the record, flag it, skip to the next stop.
                        malformed = true;
                        var stop = _buffer.AsSpan(i, _end - i).IndexOfAny(_stops);
                        if (stop < 0)
                        {
                            return false;
                        }

                        i += stop;
                    }

                    break;
                }
            }
            else
            {
                var k = _buffer.AsSpan(i, _end - i).IndexOfAny(_stops);
                if (k < 0)
                {
                    return false;
                }

                fieldStart = i;
                fieldEnd = i + k;
                i += k;
            }

            AddField(count++, fieldStart, fieldEnd, escaped);
            var b = _buffer[i];
            if (_quoting && b == _delimiter)
            {
                i++;
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
}
