using System.Text;
using Affinsy.Connectors.Files.Reading;

namespace Affinsy.Connectors.Files.Tests;

public sealed class RecordReaderTests
{
    private const string Tricky = "id,name,price\r\n1,\"Tea, green\",2.5\r\n2,\"The \"\"best\"\" cake\",3\r\n3,\"two\r\nlines\",4\r\n\r\n4,plain,5\r\n";

    [Fact]
    public async Task Quoted_fields_with_commas_doubled_quotes_and_line_breaks_are_read_whole()
    {
        var records = await ReadAllAsync(Tricky, chunk: int.MaxValue);

        Assert.Equal(
            [
                ["id", "name", "price"],
                ["1", "Tea, green", "2.5"],
                ["2", "The \"best\" cake", "3"],
                ["3", "two\r\nlines", "4"],
                ["4", "plain", "5"],
            ],
            records.Select(r => r.Fields));
    }

    [Fact]
    public async Task Line_numbers_count_physical_lines_including_breaks_inside_quotes_and_blank_lines()
    {
        var records = await ReadAllAsync(Tricky, chunk: int.MaxValue);

        Assert.Equal([1L, 2, 3, 4, 7], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Offsets_point_at_each_record_and_past_its_line_ending()
    {
        var records = await ReadAllAsync(Tricky, chunk: int.MaxValue);
        var bytes = Encoding.UTF8.GetBytes(Tricky);

        Assert.Equal(0, records[0].Start);
        Assert.Equal("1,\"Tea, green\",2.5", Encoding.UTF8.GetString(bytes.AsSpan((int)records[1].Start, (int)(records[1].End - records[1].Start - 2))));
        Assert.Equal(records[1].End, records[2].Start);
        Assert.Equal(bytes.Length, records[^1].End);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Records_split_across_reads_at_any_byte_parse_the_same(int chunk)
    {
        var whole = await ReadAllAsync(Tricky, chunk: int.MaxValue);
        var split = await ReadAllAsync(Tricky, chunk);

        Assert.Equal(whole.Select(r => (r.Fields, r.Line, r.Start, r.End, r.Raw)), split.Select(r => (r.Fields, r.Line, r.Start, r.End, r.Raw)));
    }

    [Fact]
    public async Task A_byte_order_mark_is_skipped_and_a_trailing_delimiter_is_an_empty_field()
    {
        var records = await ReadAllAsync("\uFEFFa,b\n1,\n", chunk: int.MaxValue);

        Assert.Equal([["a", "b"], ["1", ""]], records.Select(r => r.Fields));
    }

    [Fact]
    public async Task Text_after_a_closing_quote_marks_the_record_malformed_but_keeps_reading()
    {
        var records = await ReadAllAsync("\"a\"x,b\nc,d\n", chunk: int.MaxValue);

        Assert.True(records[0].Malformed);
        Assert.False(records[1].Malformed);
        Assert.Equal(["c", "d"], records[1].Fields);
    }

    [Fact]
    public async Task Without_a_delimiter_each_line_is_one_field_and_quotes_are_plain_text()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":\"x,y\"}\n{\"b\":1}\n"));
        using var reader = new RecordReader(stream, 0, 1, delimiter: null);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(1, reader.FieldCount);
            lines.Add(Encoding.UTF8.GetString(reader[0]));
        }

        Assert.Equal(["{\"a\":\"x,y\"}", "{\"b\":1}"], lines);
    }

    private static async Task<List<Row>> ReadAllAsync(string text, int chunk)
    {
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk);
        using var reader = new RecordReader(stream, 0, 1, (byte)',');
        var rows = new List<Row>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Encoding.UTF8.GetString(reader[i]);
            }

            rows.Add(new Row(fields, reader.Line, reader.RecordStart, reader.RecordEnd, reader.RawText(), reader.IsMalformed));
        }

        return rows;
    }

    private sealed record Row(string[] Fields, long Line, long Start, long End, string Raw, bool Malformed);

    /// <summary>Returns at most <c>chunk</c> bytes per read, to exercise records split across buffer refills.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
