using System.Text;
using Affinsy.Connectors.HttpJsonl.Reading;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>How a page body is cut into lines, including across reads of a slow body.</summary>
public sealed class PageLinesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lf_and_crlf_end_lines_blank_lines_count_and_a_last_line_without_newline_is_a_line()
    {
        var lines = await ReadAsync("a\r\n\nbb\nccc", maxLineBytes: 4096);

        Assert.Equal(["a", "", "bb", "ccc"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_keeps_its_first_4_KiB_and_the_next_lines_are_read_whole()
    {
        var huge = new string('x', 100_000);
        var lines = await ReadAsync($"first\n{huge}\nlast\n", maxLineBytes: 8192, chunk: 1000);

        Assert.Equal(["first", huge[..4096], "last"], lines.Select(l => l.Text));
        Assert.Equal([false, true, false], lines.Select(l => l.Oversized));
    }

    [Fact]
    public async Task Lines_split_over_many_small_reads_come_out_whole()
    {
        var text = string.Join('\n', Enumerable.Range(0, 500).Select(i => new string((char)('a' + (i % 26)), i)));
        var lines = await ReadAsync(text, maxLineBytes: 4096, chunk: 7);

        Assert.Equal(text.Split('\n'), lines.Select(l => l.Text));
    }

    [Fact]
    public async Task A_body_that_stalls_longer_than_the_request_timeout_is_a_timeout_on_the_injected_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var reader = new PageLines(new StalledStream(), 4096, TimeSpan.FromSeconds(60), clock);

        var read = reader.ReadAsync(Ct).AsTask();
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(read.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => read);
        Assert.Equal("no data for 60 s (request_timeout)", e.Message);
    }

    private static async Task<List<(string Text, bool Oversized)>> ReadAsync(string body, int maxLineBytes, int chunk = int.MaxValue)
    {
        using var reader = new PageLines(new ChunkedStream(Encoding.UTF8.GetBytes(body), chunk), maxLineBytes, TimeSpan.FromMinutes(1), TimeProvider.System);
        var lines = new List<(string, bool)>();
        while (await reader.ReadAsync(Ct))
        {
            lines.Add((Encoding.UTF8.GetString(reader.Line), reader.IsOversized));
        }

        return lines;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a network body does.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    /// <summary>A body whose next bytes never come.</summary>
    private sealed class StalledStream : MemoryStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
