using System.Text;
using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>Files that are not UTF-8, and byte order marks (issue 15).</summary>
public sealed class EncodingTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity\n";
    private const string Rows = "A,Café crème,2,1\nB,Tea,1,1\nC,Crêpe €,3,1\n";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_latin1_export_read_as_utf8_refuses_each_such_row_with_its_byte_offset_and_the_encoding_option()
    {
        var path = _files.WriteBytes("o.csv", Encoding.Latin1.GetBytes(Header + "A,Café,2,1\nB,Tea,1,1\n"));

        var batch = Assert.Single(await TempFiles.ReadAllAsync(Csv(path)));

        Assert.Equal("B", Assert.Single(batch.Orders).OrderId);
        var refusal = Assert.Single(batch.Refusals);
        Assert.Equal("o.csv:2 (byte 42)", refusal.Position);
        Assert.Contains("invalid UTF-8 at byte offset 47 (byte 5 of this record", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("encoding: latin1 | windows-1252 | utf-16", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal(Header + "A,Caf\\xE9,2,1", refusal.OriginalRecord); // a CSV letter starts with the header, for a replay
    }

    [Fact]
    public async Task An_invalid_utf8_jsonl_line_is_refused_alone()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"order_id":"A","line_items":[{"product_name":"Caf""").Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes("\",\"unit_price\":1,\"quantity\":1}]}\n" + """{"order_id":"B","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n")).ToArray();
        var path = _files.WriteBytes("o.jsonl", bytes);

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path })));

        Assert.Equal("B", Assert.Single(batch.Orders).OrderId);
        Assert.Contains("invalid UTF-8 at byte offset 50 (byte 50 of this record", Assert.Single(batch.Refusals).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latin1", "iso-8859-1", "Crêpe ?")]
    [InlineData("windows-1252", "windows-1252", "Crêpe €")]
    public async Task With_its_encoding_set_a_single_byte_export_is_read_exactly(string option, string name, string crepe)
    {
        var encoding = FileEncodings.Parse(option);
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(name)?.GetBytes(Header + Rows) ?? Encoding.Latin1.GetBytes(Header + Rows);
        var path = _files.WriteBytes("o.csv", bytes);

        var batches = await TempFiles.ReadAllAsync(new CsvOrderSource(new CsvSourceOptions { Path = path, Encoding = encoding, BatchMaxOrders = 1 }));
        var resumed = await TempFiles.ReadAllAsync(new CsvOrderSource(new CsvSourceOptions { Path = path, Encoding = encoding, BatchMaxOrders = 1 }), batches[0].Checkpoint);

        Assert.Equal(["Café crème", "Tea", crepe], batches.SelectMany(b => b.Orders).Select(o => Assert.Single(o.LineItems).ProductName));
        Assert.Equal(["B", "C"], resumed.SelectMany(b => b.Orders).Select(o => o.OrderId));
        Assert.Empty(batches.SelectMany(b => b.Refusals));
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-8")]
    public async Task A_byte_order_mark_is_honoured_without_configuration(string name)
    {
        var encoding = Encoding.GetEncoding(name);
        var path = _files.WriteBytes("o.csv", [.. encoding.GetPreamble(), .. encoding.GetBytes(Header + Rows)]);

        var batch = Assert.Single(await TempFiles.ReadAllAsync(Csv(path)));

        Assert.Equal(["Café crème", "Tea", "Crêpe €"], batch.Orders.Select(o => Assert.Single(o.LineItems).ProductName));
        Assert.Empty(batch.Refusals);
    }

    [Fact]
    public async Task A_lone_surrogate_in_utf16_fails_the_run_naming_the_encoding()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header + "A,T")).Concat(new byte[] { 0x00, 0xD8, 0x41, 0x00 })
            .Concat(Encoding.Unicode.GetBytes(",1,1\n")).ToArray();
        var path = _files.WriteBytes("o.csv", bytes);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TempFiles.ReadAllAsync(Csv(path)));

        Assert.Contains("is not a character in utf-16", e.Message, StringComparison.Ordinal);
    }

    private static CsvOrderSource Csv(string path) => new(new CsvSourceOptions { Path = path });
}
