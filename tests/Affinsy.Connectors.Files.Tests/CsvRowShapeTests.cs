using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>Rows with the wrong number of fields, late rows of an order, and numbers out of range (issue 15).</summary>
public sealed class CsvRowShapeTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity\n";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_row_with_more_or_fewer_fields_than_the_header_is_refused_not_stored_shifted()
    {
        var path = _files.Write("o.csv", Header
            + "A,Tea, green,2,1\n"
            + "A,Cake,3\n"
            + "A,Jam,1,1\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new CsvOrderSource(new CsvSourceOptions { Path = path })));

        Assert.Equal(new LineItem("Jam", 1m, 1m), Assert.Single(Assert.Single(batch.Orders).LineItems));
        Assert.Equal(["o.csv:2", "o.csv:3"], batch.Refusals.Select(CsvOrderSourceTests.At));
        Assert.Contains("5 fields where the header has 4", batch.Refusals[0].Reason, StringComparison.Ordinal);
        Assert.Contains("a value containing the delimiter must be quoted", batch.Refusals[0].Reason, StringComparison.Ordinal);
        Assert.Contains("3 fields where the header has 4", batch.Refusals[1].Reason, StringComparison.Ordinal);
        Assert.Equal(Header + "A,Tea, green,2,1", batch.Refusals[0].OriginalRecord); // with the header, for a replay
    }

    // The rule: an order's contiguous rows are one part; a later part is upserted per product in file order
    // (Affinsy's own rule within a request: the last row for a key wins).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Late_rows_of_an_order_store_the_same_result_whether_or_not_a_checkpoint_falls_between_them(int maxOrders)
    {
        var path = _files.Write("o.csv", Header
            + "A,Tea,2,1\nA,Jam,1,1\n"
            + "B,Tea,2,1\n"
            + "A,Tea,2,5\nA,Bread,3,1\n"
            + "C,Tea,1,1\n"
            + "A,Jam,1,4\n");
        var source = new CsvOrderSource(new CsvSourceOptions { Path = path, BatchMaxOrders = maxOrders });
        var inOneSync = await TempFiles.ReadAllAsync(source);
        var stored = TempFiles.Stored(inOneSync);

        for (var cut = 0; cut < inOneSync.Count - 1; cut++)
        {
            var resumed = await TempFiles.ReadAllAsync(source, inOneSync[cut].Checkpoint);
            Assert.Equal(stored, TempFiles.Stored(inOneSync.Take(cut + 1).Concat(resumed)));
        }

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["A|Bread"] = "3x1", ["A|Jam"] = "1x4", ["A|Tea"] = "2x5", ["B|Tea"] = "2x1", ["C|Tea"] = "1x1",
            },
            stored.ToDictionary(e => e.Key, e => e.Value.Split('|')[0]));
        Assert.Empty(inOneSync.SelectMany(b => b.Refusals));
    }

    [Fact]
    public async Task A_csv_line_total_beyond_decimal_range_refuses_that_row_and_the_run_goes_on()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,900000000000000,900000000000000\nB,Tea,1,1\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new CsvOrderSource(new CsvSourceOptions { Path = path })));

        Assert.Equal("B", Assert.Single(batch.Orders).OrderId);
        var refusal = Assert.Single(batch.Refusals);
        Assert.Equal(("o.csv:2", "A"), (CsvOrderSourceTests.At(refusal), refusal.OrderId));
        Assert.Contains("unit_price x quantity for 'Tea'", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jsonl_line_total_beyond_decimal_range_refuses_that_order_and_the_run_goes_on()
    {
        var path = _files.Write("o.jsonl",
            """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1e15,"quantity":1e15}]}""" + "\n"
            + """{"order_id":"B","line_items":[{"product_name":"Tea","unit_price":1e40,"quantity":1}]}""" + "\n"
            + """{"order_id":"C","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path })));

        Assert.Equal("C", Assert.Single(batch.Orders).OrderId);
        Assert.Equal(["A", "B"], batch.Refusals.Select(r => r.OrderId));
        Assert.Contains("unit_price x quantity for 'Tea'", batch.Refusals[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'unit_price' is '1e40', not a number within", batch.Refusals[1].Reason, StringComparison.Ordinal);
    }
}
