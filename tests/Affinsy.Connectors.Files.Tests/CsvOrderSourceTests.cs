using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Tests;

public sealed class CsvOrderSourceTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity,customer_id,order_date\n";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Contiguous_rows_become_orders_with_quoted_names_and_utc_dates()
    {
        var path = _files.Write("orders.csv", Header.Replace("\n", "\r\n", StringComparison.Ordinal)
            + "A,\"Tea, green\",2.50,1,c1,2025-03-15T10:30:00+02:00\r\n"
            + "A,\"The \"\"best\"\" cake\",3,2,c1,2025-03-15T10:30:00+02:00\r\n"
            + "B,Tea,2.5,1,,2025-03-16\r\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(Csv(path)));

        Assert.Empty(batch.Refusals);
        Assert.Equal(2, batch.Orders.Count);
        var a = batch.Orders[0];
        Assert.Equal(("A", "c1", new DateTimeOffset(2025, 3, 15, 8, 30, 0, TimeSpan.Zero)), (a.OrderId, a.CustomerId, a.OrderDate!.Value));
        Assert.Equal([new LineItem("Tea, green", 2.50m, 1m), new LineItem("The \"best\" cake", 3m, 2m)], a.LineItems);
        Assert.Equal("csv", a.Source);
        Assert.Null(batch.Orders[1].CustomerId);
        Assert.Equal(new DateTimeOffset(2025, 3, 16, 0, 0, 0, TimeSpan.Zero), batch.Orders[1].OrderDate);
    }

    [Fact]
    public async Task Orders_carry_the_files_last_write_as_their_source_time_not_their_order_dates()
    {
        // What affinsy_checkpoint_lag_seconds counts from: a 2023 export written five minutes ago is five minutes old.
        var path = _files.Write("history.csv", Header + "A,Tea,1,1,c1,2023-01-05\nB,Cake,2,1,c2,2023-02-06\n");
        var written = new DateTime(2026, 12, 2, 10, 55, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);
        var jsonl = _files.Write("history.jsonl", "{\"order_id\":\"C\",\"order_date\":\"2023-03-07\",\"line_items\":[{\"product_name\":\"Tea\",\"unit_price\":1,\"quantity\":1}]}\n");
        File.SetLastWriteTimeUtc(jsonl, written);

        var orders = (await TempFiles.ReadAllAsync(Csv(path))).SelectMany(b => b.Orders)
            .Concat((await TempFiles.ReadAllAsync(new Jsonl.JsonlOrderSource(new Jsonl.JsonlSourceOptions { Path = jsonl }))).SelectMany(b => b.Orders))
            .ToList();

        Assert.Equal(3, orders.Count);
        Assert.All(orders, o => Assert.Equal(new DateTimeOffset(written), o.SourceUpdatedAt));
    }

    [Fact]
    public async Task A_plain_file_says_how_far_each_batch_reads_and_a_gzip_one_does_not_guess()
    {
        var content = Header + string.Concat(Enumerable.Range(0, 30).Select(i => $"o{i},Tea,1,1,c1,2025-03-15\n"));
        var path = _files.Write("o.csv", content);
        var size = new FileInfo(path).Length;

        var batches = new List<OrderBatch>();
        await foreach (var batch in Csv(path, maxOrders: 10).ReadAsync(null, TestContext.Current.CancellationToken))
        {
            batches.Add(batch);
        }

        var gzip = new List<OrderBatch>();
        await foreach (var batch in Csv(_files.Write("o.csv.gz", content), maxOrders: 10).ReadAsync(null, TestContext.Current.CancellationToken))
        {
            gzip.Add(batch);
        }

        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.Equal(size, b.Progress!.Value.Total));
        Assert.Equal(batches.Select(b => b.Progress!.Value.Done).Order(), batches.Select(b => b.Progress!.Value.Done));
        Assert.Equal(size, batches[^1].Progress!.Value.Done);
        Assert.All(gzip, b => Assert.Null(b.Progress));
    }

    [Fact]
    public async Task A_gzip_file_reads_the_same_as_the_plain_file()
    {
        var content = Header + "A,Tea,1,1,c1,2025-03-15\nA,Cake,2,1,c1,2025-03-15\nB,Tea,1,3,c2,2025-03-16\n";
        var plain = await TempFiles.ReadAllAsync(Csv(_files.Write("o.csv", content)));
        var gzip = await TempFiles.ReadAllAsync(Csv(_files.Write("o.csv.gz", content)));

        Assert.Equal(plain.SelectMany(b => b.Orders).Select(Describe), gzip.SelectMany(b => b.Orders).Select(Describe));
        Assert.Equal(2, gzip.SelectMany(b => b.Orders).Count());
    }

    [Fact]
    public async Task The_retail_preset_skips_cancelled_invoices_returns_and_zero_quantities_by_reason_and_dead_letters_none()
    {
        var path = _files.Write("retail.csv",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n"
            + "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom\n"
            + "536365,22961,JAM MAKING SET PRINTED,0,12/1/2010 8:26,1.45,17850.0,United Kingdom\n"
            + "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom\n"
            + "C536379,22139,RETROSPOT TEA SET,-2,12/1/2010 9:41,4.95,14527,United Kingdom\n"
            + "536380,22961,JAM MAKING SET PRINTED,0,12/1/2010 9:41,1.45,,United Kingdom\n"
            + "536381,22139,RETROSPOT TEA SET,-2,12/1/2010 9:41,4.95,15311,United Kingdom\n"
            + "536381,71053,WHITE METAL LANTERN,-1,12/1/2010 9:41,3.39,15311,United Kingdom\n"
            + "536382,71053,WHITE METAL LANTERN,-1,12/1/2010 9:42,3.39,15311,United Kingdom\n"
            + "536382,22139,RETROSPOT TEA SET,1,12/1/2010 9:42,4.95,15311,United Kingdom\n");
        var source = new CsvOrderSource(new CsvSourceOptions
        {
            Path = path,
            Columns = RetailPreset.Columns,
            DateFormat = RetailPreset.DateFormat,
            RetailRules = true,
        });

        var batch = Assert.Single(await TempFiles.ReadAllAsync(source));

        // A zero-quantity line is dropped from an order that bought something; a return line is left out of one.
        Assert.Equal(["536365", "536382"], batch.Orders.Select(o => o.OrderId));
        var order = batch.Orders[0];
        Assert.Equal(("536365", "17850", new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero)), (order.OrderId, order.CustomerId, order.OrderDate!.Value));
        Assert.Equal(["WHITE HANGING HEART T-LIGHT HOLDER", "WHITE METAL LANTERN"], order.LineItems.Select(l => l.ProductName));
        Assert.Equal([new LineItem("RETROSPOT TEA SET", 4.95m, 1m)], batch.Orders[1].LineItems);
        Assert.Equal("15311", batch.Orders[1].CustomerId);

        // Counted in orders: the two-row cancellation once, the two-row return once.
        Assert.Empty(batch.Refusals);
        Assert.Equal("1 cancelled, 1 return, 1 zero_quantity", batch.Skipped!.Describe());
    }

    [Fact]
    public async Task A_cancelled_invoice_cut_across_batches_is_counted_once_and_trailing_skips_move_the_checkpoint()
    {
        var rows = new System.Text.StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
        rows.Append("1,1,Tea,1,1/1/2025 9:00,1.00,1,UK\n");
        for (var i = 0; i < 5; i++)
        {
            rows.Append("C2,1,Tea,-1,1/1/2025 9:00,1.00,1,UK\n");
        }

        var path = _files.Write("retail.csv", rows.ToString());
        var source = new CsvOrderSource(new CsvSourceOptions
        {
            Path = path,
            Columns = RetailPreset.Columns,
            DateFormat = RetailPreset.DateFormat,
            RetailRules = true,
            BatchMaxLineItems = 2,
        });

        var batches = await TempFiles.ReadAllAsync(source);

        Assert.True(batches.Count > 1, "the cancellation's rows span several batches");
        Assert.Equal(1, batches.Sum(b => b.Skipped?[SkipReason.Cancelled] ?? 0));
        Assert.Equal(new FileInfo(path).Length, batches[^1].Checkpoint!.As(FileCheckpoint.Json).Offset);
    }

    [Fact]
    public async Task Bad_values_refuse_only_their_row_and_say_why()
    {
        var path = _files.Write("o.csv", Header
            + "A,Tea,abc,1,c1,2025-03-15\n"
            + "A,Cake,1,1,c1,15/03/2025\n"
            + "A,Jam,-1,1,c1,2025-03-15\n"
            + ",Jam,1,1,c1,2025-03-15\n"
            + "A,Bread,1,1,c1,2025-03-15\n"
            + "A,short\n");

        var batch = Assert.Single(await TempFiles.ReadAllAsync(Csv(path)));

        Assert.Equal("Bread", Assert.Single(Assert.Single(batch.Orders).LineItems).ProductName);
        Assert.Collection(
            batch.Refusals,
            r => Assert.Equal(("o.csv:2", true), (At(r), r.Reason.Contains("unit price 'abc' is not a number", StringComparison.Ordinal))),
            r => Assert.Equal(("o.csv:3", true), (At(r), r.Reason.Contains("unparsable order date '15/03/2025'", StringComparison.Ordinal))),
            r => Assert.Equal(("o.csv:4", true), (At(r), r.Reason.Contains("negative unit price", StringComparison.Ordinal))),
            r => Assert.Equal(("o.csv:5", true), (At(r), r.Reason.Contains("no order id", StringComparison.Ordinal))),
            r => Assert.Equal(("o.csv:7 (byte 190)", true), (r.Position, r.Reason.Contains("2 fields where the header has 6", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_full_batch_is_cut_only_where_the_order_changes()
    {
        var path = _files.Write("o.csv", Header
            + "A,p1,1,1,,\nA,p2,1,1,,\nA,p3,1,1,,\n"
            + "B,p1,1,1,,\n");

        var batches = await TempFiles.ReadAllAsync(Csv(path, maxOrders: 100, maxLineItems: 2));

        Assert.Equal([["A"], ["B"]], batches.Select(b => b.Orders.Select(o => o.OrderId).ToArray()));
        Assert.Equal(3, batches[0].Orders[0].LineItems.Count);
    }

    [Fact]
    public async Task Rerunning_an_unchanged_file_from_its_last_checkpoint_sends_nothing()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1,c1,2025-03-15\nB,Tea,1,1,c1,2025-03-15\n");
        var first = await TempFiles.ReadAllAsync(Csv(path));

        var second = await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint);

        Assert.Empty(second);
    }

    [Fact]
    public async Task An_appended_file_sends_only_the_new_orders_with_their_real_line_numbers()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1,c1,2025-03-15\n");
        var first = await TempFiles.ReadAllAsync(Csv(path));
        _files.Append(path, "B,Tea,1,1,c1,2025-03-16\nC,Tea,-1,1,c1,2025-03-16\n");

        var second = Assert.Single(await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint));

        Assert.Equal("B", Assert.Single(second.Orders).OrderId);
        Assert.Equal("o.csv:4", At(Assert.Single(second.Refusals)));
    }

    [Fact]
    public async Task A_gzip_file_with_an_appended_member_sends_only_the_new_orders()
    {
        var path = _files.Write("o.csv.gz", Header + "A,Tea,1,1,c1,2025-03-15\n");
        var first = await TempFiles.ReadAllAsync(Csv(path));
        Assert.Empty(await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint));
        _files.Append(path, "B,Tea,1,1,c1,2025-03-16\n");

        var second = Assert.Single(await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint));

        Assert.Equal("B", Assert.Single(second.Orders).OrderId);
    }

    [Fact]
    public async Task Resuming_from_a_middle_batch_checkpoint_sends_exactly_the_rest()
    {
        var rows = string.Concat(Enumerable.Range(0, 10).Select(i => $"O{i},Tea,1,1,c1,2025-03-15\nO{i},Cake,1,1,c1,2025-03-15\n"));
        var path = _files.Write("o.csv", Header + rows);
        var all = await TempFiles.ReadAllAsync(Csv(path, maxOrders: 3));

        var rest = await TempFiles.ReadAllAsync(Csv(path, maxOrders: 3), all[1].Checkpoint);

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Skip(2).SelectMany(b => b.Orders).Select(Describe), rest.SelectMany(b => b.Orders).Select(Describe));
        Assert.Equal(14, all[1].Checkpoint!.As(FileCheckpoint.Json).Line);
    }

    [Theory]
    [InlineData("X,Jam,1,1,c1,2025-03-15\nA,Tea,1,1,c1,2025-03-15\nB,Tea,1,1,c1,2025-03-15\n")]
    [InlineData("A,Tea,1,1,c1,2025-03-15\n")]
    public async Task A_replaced_or_shrunk_file_is_read_again_from_the_start(string newRows)
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1,c1,2025-03-15\nB,Tea,1,1,c1,2025-03-15\n");
        var first = await TempFiles.ReadAllAsync(Csv(path));
        _files.Write("o.csv", Header + newRows);

        var second = await TempFiles.ReadAllAsync(Csv(path), first[^1].Checkpoint);

        Assert.Equal(newRows.Count(c => c == '\n'), second.SelectMany(b => b.Orders).Count());
        Assert.Equal(newRows[..1], second[0].Orders[0].OrderId);
    }

    [Fact]
    public async Task A_checkpoint_from_another_kind_of_source_fails_and_names_the_reset()
    {
        var path = _files.Write("o.csv", Header + "A,Tea,1,1,c1,2025-03-15\n");

        var e = await Assert.ThrowsAsync<UnreadableCheckpointException>(() => TempFiles.ReadAllAsync(Csv(path), new Checkpoint("""{"updated_at":"2025-01-01T00:00:00Z"}""")));

        Assert.Contains("state reset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_without_a_mapped_column_is_an_error_naming_the_column()
    {
        var path = _files.Write("o.csv", "id,name,price,qty\n1,Tea,1,1\n");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TempFiles.ReadAllAsync(Csv(path)));

        Assert.Contains("'order_id'", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_file_streams_in_bounded_batches_with_increasing_checkpoints()
    {
        const int orders = 10_000;
        var text = new System.Text.StringBuilder(Header);
        for (var i = 0; i < orders; i++)
        {
            for (var line = 0; line < 1 + (i % 5); line++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"O{i},Product {((i * 7) + line) % 3000},{line + 1}.25,{line + 1},C{i % 997},2025-03-15T10:30:00Z\n");
            }
        }

        var path = _files.Write("big.csv", text.ToString());

        var count = 0;
        var lines = 0;
        long lastOffset = 0;
        await foreach (var read in Csv(path).ReadAsync(null, TestContext.Current.CancellationToken))
        {
            var batch = read.Normalize();
            Assert.InRange(batch.Orders.Count, 1, 2_000);
            Assert.InRange(batch.Orders.Sum(o => o.LineItems.Count), 1, 10_000 + 5);
            var offset = batch.Checkpoint!.As(FileCheckpoint.Json).Offset;
            Assert.True(offset > lastOffset);
            lastOffset = offset;
            count += batch.Orders.Count;
            lines += batch.Orders.Sum(o => o.LineItems.Count);
        }

        Assert.Equal(orders, count);
        Assert.Equal(orders / 5 * 15, lines);
        Assert.Equal(new FileInfo(path).Length, lastOffset);
    }

    internal static string At(Refusal r) => r.Position.Split(' ')[0];

    private static CsvOrderSource Csv(string path, int maxOrders = 2_000, int maxLineItems = 10_000) =>
        new(new CsvSourceOptions { Path = path, BatchMaxOrders = maxOrders, BatchMaxLineItems = maxLineItems });

    private static string Describe(Order o) =>
        $"{o.OrderId}|{o.CustomerId}|{o.OrderDate:O}|{string.Join(";", o.LineItems.Select(l => $"{l.ProductName}:{l.UnitPrice}x{l.Quantity}"))}";
}
