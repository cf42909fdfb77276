using System.IO.Compression;
using System.Text;
using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>Files still being written and archives cut short (issue 15).</summary>
public sealed class IncompleteInputTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity\n";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("o.csv")]
    [InlineData("o.csv.gz")]
    public async Task A_csv_last_line_without_a_line_ending_is_not_read_until_it_is_completed(string name)
    {
        var path = _files.Write(name, Header + "A,Tea,1.5,1\nB,Cake,12");
        var first = await TempFiles.ReadAllAsync(Csv(path));

        _files.Append(path, "5,2\nC,Jam,3,1\n");
        var second = await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint);

        Assert.Equal("A", Assert.Single(Assert.Single(first).Orders).OrderId);
        Assert.Empty(first.SelectMany(b => b.Refusals));
        Assert.Equal(Header.Length + "A,Tea,1.5,1\n".Length, first[^1].Checkpoint!.As(FileCheckpoint.Json).Offset);
        Assert.Equal([("B", new LineItem("Cake", 125m, 2m)), ("C", new LineItem("Jam", 3m, 1m))], second.SelectMany(b => b.Orders).Select(o => (o.OrderId, Assert.Single(o.LineItems))));
        Assert.Empty(second.SelectMany(b => b.Refusals));
    }

    [Theory]
    [InlineData("o.jsonl")]
    [InlineData("o.jsonl.gz")]
    public async Task A_jsonl_last_line_without_a_line_ending_is_not_read_until_it_is_completed(string name)
    {
        var path = _files.Write(name, """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n" + """{"order_id":"B","line_items":[{"product_na""");
        var source = new JsonlOrderSource(new JsonlSourceOptions { Path = path });
        var first = await TempFiles.ReadAllAsync(source);

        _files.Append(path, "me\":\"Cake\",\"unit_price\":2,\"quantity\":3}]}\n");
        var second = await TempFiles.ReadAllAsync(source, first[^1].Checkpoint);

        Assert.Equal("A", Assert.Single(Assert.Single(first).Orders).OrderId);
        Assert.Empty(first.SelectMany(b => b.Refusals));
        var b = Assert.Single(Assert.Single(second).Orders);
        Assert.Equal(("B", new LineItem("Cake", 2m, 3m)), (b.OrderId, Assert.Single(b.LineItems)));
        Assert.Empty(second.SelectMany(x => x.Refusals));
    }

    [Fact]
    public async Task A_file_holding_only_an_unfinished_line_yields_nothing_and_keeps_the_previous_checkpoint()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1\n");
        var first = await TempFiles.ReadAllAsync(Csv(path));
        _files.Append(path, "B,Te");

        Assert.Empty(await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint));
    }

    [Fact]
    public async Task A_truncated_gzip_fails_the_run_before_any_batch_and_the_complete_file_then_lands_whole()
    {
        var content = Header + string.Concat(Enumerable.Range(0, 3000).Select(i => $"O{i},Product {i % 50},{i % 7}.25,{1 + (i % 3)}\n"));
        var complete = Gzip(content);
        var path = _files.WriteBytes("o.csv.gz", complete[..(complete.Length * 2 / 3)]);
        var read = new List<OrderBatch>();

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var batch in Csv(path).ReadAsync(null, TestContext.Current.CancellationToken))
            {
                read.Add(batch);
            }
        });

        Assert.Empty(read);
        Assert.StartsWith("o.csv.gz is not a complete gzip file", e.Message, StringComparison.Ordinal);
        Assert.Contains("replace it with the complete file", e.Message, StringComparison.Ordinal);
        _files.WriteBytes("o.csv.gz", complete);
        var whole = await TempFiles.ReadAllAsync(Csv(path));
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"O{i}"), whole.SelectMany(b => b.Orders).Select(o => o.OrderId));
        Assert.Empty(whole.SelectMany(b => b.Refusals));
    }

    [Fact]
    public async Task A_gzip_cut_inside_its_trailer_is_refused_too()
    {
        var complete = Gzip(Header + "A,Tea,1,1\n");
        var path = _files.WriteBytes("o.csv.gz", complete[..^3]);

        await Assert.ThrowsAsync<InvalidDataException>(() => TempFiles.ReadAllAsync(Csv(path)));
    }

    internal static byte[] Gzip(string content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }

        return memory.ToArray();
    }

    private static CsvOrderSource Csv(string path) => new(new CsvSourceOptions { Path = path, BatchMaxOrders = 500 });
}
