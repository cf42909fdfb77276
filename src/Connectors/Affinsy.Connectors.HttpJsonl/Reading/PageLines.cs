using System.Buffers;

namespace Affinsy.Connectors.HttpJsonl.Reading;

/// <summary>
/// Splits one page's body into lines without a string per line: a pooled buffer holds the current line, which is
/// valid until the next <see cref="ReadAsync"/>. A line ends at <c>\n</c> (a <c>\r</c> before it is dropped). The rule
/// for the end of the body: the body ended normally (a cut-short body is an exception of the HTTP client, never an
/// end), so the page is complete and a last line without a line ending is a whole record, unlike a file still being
/// written. A line longer than the limit is skipped to its end without being buffered; its first 4 KiB are kept.
/// A read that waits longer than <c>idle</c> (a server that stalls mid-body) is a <see cref="TimeoutException"/>.
/// </summary>
internal sealed class PageLines : IDisposable
{
    public const int KeptOfOversized = 4 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;
    private bool _ended;
    private readonly Stream _body;
    private readonly int _maxLineBytes;
    private readonly TimeSpan _idle;
    private readonly CancellationTokenSource _stalled;

    public PageLines(Stream body, int maxLineBytes, TimeSpan idle, TimeProvider time)
    {
        _body = body;
        _maxLineBytes = maxLineBytes;
        _idle = idle;
        _stalled = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>1-based number of the current line in the page (0 before the first).</summary>
    public long Number { get; private set; }

    /// <summary>True when the current line was longer than the limit: <see cref="Line"/> is its first 4 KiB.</summary>
    public bool IsOversized { get; private set; }

    /// <summary>The current line's bytes, without its line ending.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        IsOversized = false;
        var skipping = false;
        var searchFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', searchFrom, _end - searchFrom);
            if (newline >= 0)
            {
                Take(newline, skipping);
                _start = newline + 1;
                return true;
            }

            if (!skipping && _end - _start > _maxLineBytes)
            {
                // Keep the first 4 KiB at the buffer's start for the dead letter and drop the rest as it comes.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, KeptOfOversized);
                _start = 0;
                _end = KeptOfOversized;
                skipping = true;
            }

            if (_ended)
            {
                if (_end == _start)
                {
                    return false;
                }

                // The half line at the end of a complete body is a record (see the class comment).
                Take(_end, skipping);
                _start = _end;
                return true;
            }

            // Everything up to _end was searched: a skipped line's bytes are dropped, else the unread ones kept.
            if (skipping)
            {
                _end = KeptOfOversized;
            }
            else
            {
                Compact();
            }

            searchFrom = _end;
            var read = await ReadBodyAsync(cancellationToken);
            _ended = read == 0;
            _end += read;
        }
    }

    public void Dispose()
    {
        _stalled.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    // One timer for the page, re-armed per read (per 64 KiB or so, not per line), on the injected clock.
    private async ValueTask<int> ReadBodyAsync(CancellationToken cancellationToken)
    {
        _stalled.CancelAfter(_idle);
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stalled.Token);
            return await _body.ReadAsync(_buffer.AsMemory(_end), either.Token);
        }
        catch (OperationCanceledException) when (_stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no data for {_idle.TotalSeconds:0} s (request_timeout)");
        }
        finally
        {
            _stalled.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private void Take(int lineEnd, bool oversized)
    {
        Number++;
        IsOversized = oversized;
        _lineStart = _start;
        _lineLength = oversized ? KeptOfOversized : lineEnd - _start;
        if (_lineLength > 0 && _buffer[_lineStart + _lineLength - 1] == (byte)'\r' && !oversized)
        {
            _lineLength--;
        }
    }

    /// <summary>Moves the unread bytes to the front, and grows the buffer when they fill it.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
