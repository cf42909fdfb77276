using System.Text;
using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Connectors.Files.Reading;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>Huge records and unclosed quotes (issue 15).</summary>
public sealed class SizeLimitTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity\n";
    private const long Huge = 50L * 1024 * 1024;
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_50_MB_csv_line_is_refused_with_its_first_kilobytes_and_the_rows_around_it_land(bool quoted)
    {
        var path = Path.Combine(_files.Directory, "huge.csv");
        await using (var file = File.Create(path))
        {
            file.Write(Encoding.UTF8.GetBytes(Header + "A,Tea,1,1\nB," + (quoted ? "\"" : "")));
            var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef", 4096)));
            for (long written = 0; written < Huge; written += chunk.Length)
            {
                file.Write(chunk);
            }

            file.Write(Encoding.UTF8.GetBytes((quoted ? "\"" : "") + ",1,1\nC,Jam,2,1\n"));
        }

        // A quoted 50 MB field is only read under a field limit that allows it; the record limit still applies.
        var options = new CsvSourceOptions { Path = path, Limits = new ReaderLimits(MaxFieldBytes: quoted ? 64 * 1024 * 1024 : 1024 * 1024) };
        var batches = await TempFiles.ReadAllAsync(new CsvOrderSource(options));

        Assert.Equal(["A", "C"], batches.SelectMany(b => b.Orders).Select(o => o.OrderId));
        var refusal = Assert.Single(batches.SelectMany(b => b.Refusals));
        Assert.Equal("huge.csv:3 (byte 52)", refusal.Position);
        Assert.Contains("longer than max_record_bytes", refusal.Reason, StringComparison.Ordinal);
        // The header, the record's first 4 KiB, and a last line saying it was cut (so a replay does not read it as the record).
        var kept = refusal.OriginalRecord.Split('\n');
        Assert.Equal(3, kept.Length);
        Assert.Equal(Header.TrimEnd('\n'), kept[0]);
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(kept[1]));
        Assert.StartsWith("B," + (quoted ? "\"" : "") + "0123456789abcdef", kept[1], StringComparison.Ordinal);
        Assert.StartsWith(KeptRecords.CutLine, kept[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skipping_a_huge_line_does_not_buffer_it()
    {
        // Synchronous reads keep the whole read on this thread, so its allocations are this reader's alone.
        using var stream = new GeneratedStream("{\"a\":1}\n"u8.ToArray(), Huge, "\n{\"b\":2}\n"u8.ToArray());
        using var reader = new RecordReader(stream, 0, 1, delimiter: null);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var records = new List<(bool Oversized, long Line)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            records.Add((reader.IsOversized, reader.Line));
        }

        Assert.Equal([(false, 1L), (true, 2L), (false, 3L)], records);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 24L * 1024 * 1024);
    }

    [Fact]
    public async Task A_huge_jsonl_line_is_refused_and_the_lines_around_it_land()
    {
        var line = """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""";
        var path = _files.Write("o.jsonl", line + "\n" + new string('x', 9 * 1024 * 1024) + "\n" + line.Replace("\"A\"", "\"B\"", StringComparison.Ordinal) + "\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path })));

        Assert.Equal(["A", "B"], batch.Orders.Select(o => o.OrderId));
        Assert.Equal("o.jsonl:2", CsvOrderSourceTests.At(Assert.Single(batch.Refusals)));
    }

    [Fact]
    public async Task A_quote_still_open_after_max_field_bytes_fails_the_run_naming_the_line_it_opened_on()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1\nB,\"Cake,1,1\n" + string.Concat(Enumerable.Repeat("C,Jam,2,1\n", 200)) + "D,\"Bread\",1,1\n");
        var options = new CsvSourceOptions { Path = path, Limits = new ReaderLimits(MaxFieldBytes: 1024) };

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TempFiles.ReadAllAsync(new CsvOrderSource(options)));

        Assert.StartsWith("o.csv:3: a quoted field opens on this line and runs for", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_field_bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quote_never_closed_before_the_end_of_the_file_fails_the_run_naming_its_line()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1\nB,\"Cake,1,1\nC,Jam,2,1\nD,Bread,1,1\n");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TempFiles.ReadAllAsync(new CsvOrderSource(new CsvSourceOptions { Path = path })));

        Assert.StartsWith("o.csv:3: a quoted field opens on this line and is never closed", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A prefix, then <c>length</c> bytes of 'x' generated on the fly, then a suffix; reads complete synchronously.</summary>
    private sealed class GeneratedStream(byte[] prefix, long length, byte[] suffix) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => prefix.Length + length + suffix.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < Length)
            {
                var target = buffer[written..];
                int n;
                if (_position < prefix.Length)
                {
                    n = Math.Min(target.Length, prefix.Length - (int)_position);
                    prefix.AsSpan((int)_position, n).CopyTo(target);
                }
                else if (_position < prefix.Length + length)
                {
                    n = (int)Math.Min(target.Length, prefix.Length + length - _position);
                    target[..n].Fill((byte)'x');
                }
                else
                {
                    var at = (int)(_position - prefix.Length - length);
                    n = Math.Min(target.Length, suffix.Length - at);
                    suffix.AsSpan(at, n).CopyTo(target);
                }

                written += n;
                _position += n;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
