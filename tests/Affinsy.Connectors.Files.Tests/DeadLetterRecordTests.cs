using System.Globalization;
using System.Text;
using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Jsonl;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>What a file source's dead letter keeps, and reading it again with the current options (<c>dead-letters replay</c>).</summary>
public sealed class DeadLetterRecordTests : IDisposable
{
    private const string Header = "order_id,product_name,unit_price,quantity";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_csv_order_refused_whole_keeps_the_header_and_every_row_and_reads_again_to_the_same_refusal()
    {
        // Two rows of one product whose merged quantity is beyond the amount Affinsy takes: the order is refused whole.
        var rows = "A,Tea,1,600000000000000\nA,\"Cake, large\",2,1\nA,Tea,1,600000000000000";
        var path = _files.Write("o.csv", Header + "\nZ,Jam,1,1\n" + rows + "\nB,Jam,1,1\n");
        var options = new CsvSourceOptions { Path = path };

        var refusal = Assert.Single((await TempFiles.ReadAllAsync(new CsvOrderSource(options))).SelectMany(b => b.Refusals));

        Assert.Equal(Header + "\n" + rows, refusal.OriginalRecord);
        var letter = Letter(refusal);
        var again = Assert.Single((await new CsvRecordReplayer(options).ReplayAsync(letter, TestContext.Current.CancellationToken)).Batch!.Normalize().Refusals);
        Assert.Equal((refusal.Reason, letter.Position, letter.OriginalRecord), (again.Reason, again.Position, again.OriginalRecord));
    }

    [Fact]
    public async Task An_order_longer_than_a_letter_keeps_is_cut_and_said_not_replayable()
    {
        var text = new StringBuilder(Header + "\n");
        for (var i = 0; i <= 10_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"A,Product {i},1,1\n");
        }

        var options = new CsvSourceOptions { Path = _files.Write("o.csv", text.ToString()) };
        var refusal = Assert.Single((await TempFiles.ReadAllAsync(new CsvOrderSource(options))).SelectMany(b => b.Refusals));

        Assert.Contains("more than 10000 distinct products", refusal.Reason, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(refusal.OriginalRecord), KeptRecords.MaxOrderBytes - 1024, KeptRecords.MaxOrderBytes + 1024);
        Assert.StartsWith(Header + "\nA,Product 0,1,1\n", refusal.OriginalRecord, StringComparison.Ordinal);
        Assert.StartsWith(KeptRecords.CutLine, refusal.OriginalRecord.Split('\n')[^1], StringComparison.Ordinal);
        var replay = await new CsvRecordReplayer(options).ReplayAsync(Letter(refusal), TestContext.Current.CancellationToken);
        Assert.Null(replay.Batch);
        Assert.Contains("too long to keep whole", replay.NotReplayable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_letter_from_before_letters_kept_the_header_is_read_under_the_files_header()
    {
        var options = new CsvSourceOptions { Path = _files.Write("o.csv", "quantity,order_id,unit_price,product_name\n1,A,2,Tea\n") };
        var letter = new DeadLetter("quantity 'x' is not a number", "o.csv:7 (byte 90)", "3,A,2.5,Tea", "A", DateTimeOffset.UnixEpoch);

        var batch = (await new CsvRecordReplayer(options).ReplayAsync(letter, TestContext.Current.CancellationToken)).Batch!;

        var order = Assert.Single(batch.Normalize().Orders);
        Assert.Equal(("A", "Tea", 2.5m, 3m), (order.OrderId, order.LineItems[0].ProductName, order.LineItems[0].UnitPrice, order.LineItems[0].Quantity));
        Assert.Equal(("o.csv:7 (byte 90)", "3,A,2.5,Tea"), (batch.Drafts[0].Origin!.Position, batch.Drafts[0].Origin!.OriginalRecord));
    }

    [Fact]
    public async Task A_letter_that_kept_only_the_first_row_of_its_order_is_not_replayed()
    {
        var options = new CsvSourceOptions { Path = _files.Write("o.csv", Header + "\n") };
        var letter = new DeadLetter("no line items", "o.csv:2-4 (byte 40)", "A,Tea,2,1\n(and 2 more rows of this order, up to line 4)", "A", DateTimeOffset.UnixEpoch);

        var replay = await new CsvRecordReplayer(options).ReplayAsync(letter, TestContext.Current.CancellationToken);

        Assert.Null(replay.Batch);
        Assert.Contains("older version that kept only the order's first row", replay.NotReplayable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jsonl_line_refused_for_price_reads_again_under_a_fields_mapping()
    {
        const string line = """{"order_id":"A","line_items":[{"product_name":"Tea","price":2.5,"quantity":2}]}""";
        var path = _files.Write("o.jsonl", line + "\n");
        var refusal = Assert.Single((await TempFiles.ReadAllAsync(new JsonlOrderSource(new JsonlSourceOptions { Path = path }))).SelectMany(b => b.Refusals));
        Assert.Equal(line, refusal.OriginalRecord);

        var mapped = new JsonlSourceOptions { Path = path, Fields = new JsonlFields(new Dictionary<string, string> { ["unit_price"] = "price" }) };
        var batch = (await new JsonlRecordReplayer(mapped).ReplayAsync(Letter(refusal), TestContext.Current.CancellationToken)).Batch!.Normalize();

        Assert.Empty(batch.Refusals);
        Assert.Equal(2.5m, Assert.Single(Assert.Single(batch.Orders).LineItems).UnitPrice);
    }

    private static DeadLetter Letter(Refusal refusal) => new(refusal.Reason, refusal.Position, refusal.OriginalRecord, refusal.OrderId, DateTimeOffset.UnixEpoch);
}
