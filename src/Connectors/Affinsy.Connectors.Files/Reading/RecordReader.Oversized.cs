using System.Globalization;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Skipping a record longer than <see cref="ReaderLimits.MaxRecordBytes"/>: its first bytes are kept for the
/// dead letter and the rest is scanned for the line ending a buffer at a time, so memory stays bounded
/// whatever the record's size.
/// </summary>
internal sealed partial class RecordReader
{
    private enum Scan
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Returns true with the oversized record current, or false when the input ends before its line ending.</summary>
    /// <remarks>
    /// Over 60 lines because it is one state machine (field start, unquoted, quoted, quote in quoted) over buffers refilled
    /// by awaits: its state must survive each refill, and an async method cannot hand locals to helpers by <c>ref</c>.
    /// </remarks>
    private async ValueTask<bool> SkipOversizedAsync(CancellationToken cancellationToken)
    {
        var start = _bufferOffset + _pos;
        var line = _nextLine;
        var lines = 0L;
        var state = Scan.FieldStart;
        var quoteOpenedAt = 0L;
        var quoteLine = line;
        Keep(_buffer.AsSpan(_pos, Math.Min(_end - _pos, _limits.KeptBytes)));
        while (true)
        {
            for (var i = _pos; i < _end; i++)
            {
                var b = _buffer[i];
                var ends = false;
                switch (state)
                {
                    case Scan.Quoted:
                        if (b == Quote)
                        {
                            state = Scan.QuoteInQuoted;
                        }
                        else if (b == (byte)'\n')
                        {
                            lines++;
                        }

                        if (_bufferOffset + i - quoteOpenedAt > _limits.MaxFieldBytes)
                        {
                            _openQuoteLine = quoteLine;
                            throw UnclosedQuote($"is still open {_limits.MaxFieldBytes.ToString(CultureInfo.InvariantCulture)} bytes later (max_field_bytes)");
                        }

                        continue;
                    case Scan.FieldStart when _quoting && b == Quote:
                        state = Scan.Quoted;
                        quoteOpenedAt = _bufferOffset + i;
                        quoteLine = line + lines;
                        continue;
                    case Scan.QuoteInQuoted when b == Quote:
                        state = Scan.Quoted;
                        continue;
                    default:
                        ends = b is (byte)'\r' or (byte)'\n';
                        state = _quoting && b == _delimiter ? Scan.FieldStart : Scan.Unquoted;
                        break;
                }

                if (!ends)
                {
                    continue;
                }

                if (b == (byte)'\r' && i + 1 >= _end && !_eof)
                {
                    // Whether a LF follows decides where the next record starts: read one more buffer.
                    _pos = i;
                    await FillAsync(cancellationToken);
                    i = _pos;
                }

                var next = b == (byte)'\r' && i + 1 < _end && _buffer[i + 1] == (byte)'\n' ? i + 2 : i + 1;
                FieldCount = 0;
                IsMalformed = false;
                IsOversized = true;
                RecordStart = start;
                RecordEnd = _bufferOffset + next;
                Line = line;
                _nextLine = line + 1 + lines;
                _pos = next;
                return true;
            }

            _pos = _end;
            if (_eof)
            {
                if (state is Scan.Quoted && lines > 0)
                {
                    _openQuoteLine = quoteLine;
                    throw UnclosedQuote("is never closed: the rest of the file would be one field");
                }

                UnterminatedTail = (line, _bufferOffset + _end - start);
                return false;
            }

            await FillAsync(cancellationToken);
        }
    }

    private void Keep(ReadOnlySpan<byte> head)
    {
        _kept ??= new byte[_limits.KeptBytes];
        head.CopyTo(_kept);
        _keptLength = head.Length;
    }
}
