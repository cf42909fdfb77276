using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>The CSV source built in code (the public entry the ingest-resync benchmark uses) reads as <c>type: csv</c> does.</summary>
public sealed class CsvSourcesTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_file_opened_in_code_reads_its_orders_with_the_default_columns()
    {
        var path = _files.Write("o.csv", "order_id,product_name,unit_price,quantity\nA,Tea,2,1\nA,Jam,1,3\nB,Cake,4,1\n");

        var batches = await TempFiles.ReadAllAsync(CsvSources.Open(path));

        var orders = batches.SelectMany(b => b.Orders).ToList();
        Assert.Equal(["A", "B"], orders.Select(o => o.OrderId));
        Assert.Equal([new LineItem("Tea", 2m, 1m), new LineItem("Jam", 1m, 3m)], orders[0].LineItems);
        Assert.Empty(batches.SelectMany(b => b.Refusals));
    }
}
