using System.Buffers;
using System.Runtime.CompilerServices;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Splits a UTF-8 JSON Lines stream into lines without making strings: reads into one pooled buffer, hands out each
/// complete line as a span, and keeps only the unfinished tail between reads. Memory is the longest line, whatever
/// the stream's length.
/// </summary>
public sealed class JsonlLines(Stream stream) : IDisposable
{
    private const int InitialSize = 256 * 1024;
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int start;
    private int end;
    private bool finished;

    /// <summary>Reads more of the stream; false once it has ended and every line was taken.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (finished)
        {
            return start < end;
        }

        if (start > 0)
        {
            // Keep the unfinished line at the front so the next read appends to it.
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            // One line longer than the buffer: grow, the line has to be whole to parse it.
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            Buffer.BlockCopy(buffer, 0, larger, 0, end);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            finished = true;
            return start < end;
        }

        end += read;
        return true;
    }

    /// <summary>
    /// The next complete line (without its newline) from what was read so far; false when the buffer holds no complete
    /// line (call <see cref="FillAsync"/>). After the stream ended, a last line without a newline is complete too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTakeLine(out ReadOnlySpan<byte> line)
    {
        var pending = buffer.AsSpan(start, end - start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            line = pending[..newline];
            start += newline + 1;
        }
        else if (finished && pending.Length > 0)
        {
            line = pending;
            start = end;
        }
        else
        {
            line = default;
            return false;
        }

        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
