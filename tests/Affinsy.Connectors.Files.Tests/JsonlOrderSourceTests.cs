using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Tests;

public sealed class JsonlOrderSourceTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Each_line_is_one_order_and_malformed_lines_are_refused_with_their_line_number()
    {
        var path = _files.Write("orders.jsonl",
            """{"order_id":"A","customer_id":"c1","order_date":"2025-03-15T10:30:00Z","line_items":[{"product_name":" Tea ","unit_price":2.5,"quantity":1},{"product_name":"Tea","unit_price":3.5,"quantity":1}]}""" + "\n"
            + """{"order_id":"B","line_items":[{"product_name":"Cake",""" + "\n"
            + "\n"
            + """{"order_id":"C","line_items":[]}""" + "\n"
            + """{"order_id":"D","order_date":"yesterday","line_items":[{"product_name":"Jam","unit_price":1,"quantity":1}]}""" + "\n"
            + """{"order_id":"E","line_items":[{"product_name":"Jam","unit_price":1,"quantity":-2}]}""" + "\n"
            + "null\n"
            + """{"order_id":"F","line_items":[{"product_name":"Bread","unit_price":"1.5","quantity":2}]}""" + "\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path })));

        Assert.Equal(["A", "F"], batch.Orders.Select(o => o.OrderId));
        Assert.Equal(new LineItem("Tea", 3m, 2m), Assert.Single(batch.Orders[0].LineItems));
        Assert.Equal(new LineItem("Bread", 1.5m, 2m), Assert.Single(batch.Orders[1].LineItems));
        Assert.Equal(["orders.jsonl:2", "orders.jsonl:4", "orders.jsonl:5", "orders.jsonl:6", "orders.jsonl:7"], batch.Refusals.Select(CsvOrderSourceTests.At));
        Assert.Contains("not valid JSON", batch.Refusals[0].Reason, StringComparison.Ordinal);
        Assert.Equal("""{"order_id":"B","line_items":[{"product_name":"Cake",""", batch.Refusals[0].OriginalRecord);
        Assert.Contains("no line items", batch.Refusals[1].Reason, StringComparison.Ordinal);
        Assert.Contains("unparsable order date 'yesterday'", batch.Refusals[2].Reason, StringComparison.Ordinal);
        Assert.Contains("line_items[0]: negative quantity", batch.Refusals[3].Reason, StringComparison.Ordinal);
        Assert.Equal("E", batch.Refusals[3].OrderId);
        Assert.Contains("expected a JSON object with order_id and line_items, found null", batch.Refusals[4].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_order_id_is_a_newer_version_that_replaces_the_earlier_line()
    {
        var path = _files.Write("orders.jsonl",
            """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n"
            + """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":4}]}""" + "\n");

        var order = Assert.Single(Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path }))).Orders);

        Assert.Equal(4m, Assert.Single(order.LineItems).Quantity);
    }

    [Fact]
    public async Task Numeric_order_and_customer_ids_are_read_as_text()
    {
        var path = _files.Write("orders.jsonl", """{"order_id":1001,"customer_id":17850,"line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n");

        var order = Assert.Single(Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path }))).Orders);

        Assert.Equal(("1001", "17850"), (order.OrderId, order.CustomerId));
    }

    [Fact]
    public async Task A_gzip_jsonl_file_resumes_after_its_checkpoint()
    {
        var path = _files.Write("orders.jsonl.gz", """{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n");
        var source = new JsonlOrderSource(new JsonlSourceOptions { Path = path });
        var first = await TempFiles.ReadAllAsync(source);
        _files.Append(path, """{"order_id":"B","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}""" + "\n");

        var second = await TempFiles.ReadAllAsync(source, first[^1].Checkpoint);

        Assert.Equal("A", Assert.Single(Assert.Single(first).Orders).OrderId);
        Assert.Equal("B", Assert.Single(Assert.Single(second).Orders).OrderId);
    }

    [Fact]
    public async Task A_checkpoint_from_another_kind_of_source_fails_and_names_the_reset()
    {
        var path = Path.Combine(Path.GetTempPath(), "affinsy-" + Guid.NewGuid().ToString("N") + ".jsonl");
        await File.WriteAllTextAsync(path, "{\"order_id\":\"A\",\"line_items\":[{\"product_name\":\"Tea\",\"unit_price\":1,\"quantity\":1}]}\n", TestContext.Current.CancellationToken);
        try
        {
            var e = await Assert.ThrowsAsync<UnreadableCheckpointException>(() =>
                TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path }), new Checkpoint("""{"run":"r","seq":1,"partitions":{}}""")));

            Assert.Contains("state reset", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
