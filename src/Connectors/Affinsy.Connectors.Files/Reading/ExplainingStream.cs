using System.Text;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// The decoded content of a source file, whose decompression and decoding failures are rethrown as
/// <see cref="InvalidDataException"/>s saying which file, what went wrong and what to do, instead of the
/// framework's bare messages.
/// </summary>
internal sealed class ExplainingStream(Stream inner, string name, bool gzip, FileEncoding encoding) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static InvalidDataException NotCompleteGzip(string name, string problem, Exception? inner = null) => new(
        $"{name} is not a complete gzip file ({problem}): a download cut short, or a file still being written? "
        + "Nothing was read from it and the pipeline's position did not move; replace it with the complete file and sync again",
        inner);

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (Explain(e) is { } explained)
        {
            throw explained;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (Explain(e) is { } explained)
        {
            throw explained;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private InvalidDataException? Explain(Exception e) => e switch
    {
        InvalidDataException when gzip => NotCompleteGzip(name, e.Message.TrimEnd('.'), e),
        DecoderFallbackException d => new InvalidDataException(
            $"{name}: byte 0x{(d.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2} is not a character in {FileEncodings.Name(encoding)}: "
            + "is source.encoding right? (utf-8 | latin1 | windows-1252 | utf-16)",
            d),
        _ => null,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
