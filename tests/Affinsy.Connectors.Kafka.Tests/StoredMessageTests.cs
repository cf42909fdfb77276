using System.Text;
using Affinsy.Connectors.Kafka.DeadLetters;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>The value a store letter keeps is the message's bytes, read back exactly, or says why it cannot be.</summary>
public sealed class StoredMessageTests
{
    public static TheoryData<byte[]> Values => new()
    {
        Encoding.UTF8.GetBytes("""{"order_id":"1","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}"""),
        Encoding.Latin1.GetBytes("""{"product_name":"Café"}"""),
        new byte[] { (byte)'{', 0, (byte)'}' },
        Encoding.UTF8.GetBytes("text holding our marker # affinsy-connect: record cut"),
        Encoding.UTF8.GetBytes("a replacement character \uFFFD written by the producer"),
        Array.Empty<byte>(),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_read_back_byte_for_byte(byte[] value)
    {
        var (read, why) = StoredMessage.Read(StoredMessage.Write(value), "reason");

        Assert.Null(why);
        Assert.Equal(value, read);
    }

    [Fact]
    public void Readable_text_is_kept_as_text_and_a_tombstone_stays_a_tombstone()
    {
        Assert.Equal("order 7, two teas", StoredMessage.Write("order 7, two teas"u8.ToArray()));
        Assert.Equal((null, null), StoredMessage.Read(StoredMessage.Write(null), "empty or null message"));
    }

    [Fact]
    public void A_value_over_the_limit_keeps_whole_characters_and_is_not_replayable()
    {
        // 'é' is two bytes: at an odd limit the cut would split one.
        var value = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("é", 10)));

        var record = StoredMessage.Write(value, keep: 7);

        Assert.Equal("ééé\n" + StoredMessage.CutLine + ": the message is 20 bytes; the letter keeps the first 6", record);
        Assert.Contains("larger than the letter keeps", StoredMessage.Read(record, "reason").NotReplayable, StringComparison.Ordinal);
    }

    [Fact]
    public void A_letter_from_an_older_version_that_replaced_bad_bytes_is_not_replayed()
    {
        var (value, why) = StoredMessage.Read("{\"product_name\":\"Caf\uFFFD\"}", "the message is not valid UTF-8 (byte 0xE9 at offset 20)");

        Assert.Null(value);
        Assert.Contains("older version", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_item_order_refused_whole_is_not_replayed_and_says_why()
    {
        var letter = new Core.State.DeadLetter("order_id is 300 characters long", "lines/2@0, lines/2@1", "{}", null, DateTimeOffset.UnixEpoch);
        var options = new KafkaSourceOptions { BootstrapServers = "b", GroupId = "g", Format = "line_item" };

        var replay = await new KafkaRecordReplayer(options).ReplayAsync(letter, TestContext.Current.CancellationToken);

        Assert.Null(replay.Batch);
        Assert.Contains("gathered from several messages", replay.NotReplayable, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders/3@17", "orders", 3, 17L)]
    [InlineData("shop.orders-v2/0@0", "shop.orders-v2", 0, 0L)]
    public void A_position_is_read_back(string position, string topic, int partition, long offset)
    {
        var parsed = KafkaRecordReplayer.Parse(position);

        Assert.Equal((topic, partition, offset), (parsed!.Topic, parsed.Partition.Value, parsed.Offset.Value));
    }

    [Theory]
    [InlineData("orders/0@3, orders/0@5")]
    [InlineData("line 12")]
    public void Anything_else_is_not_a_position(string position) => Assert.Null(KafkaRecordReplayer.Parse(position));

    [Fact]
    public void An_orders_messages_are_kept_each_with_its_position_and_read_back_byte_for_byte()
    {
        byte[][] values = [Encoding.UTF8.GetBytes("""{"order_id":"A","product_name":"Tea","unit_price":2,"quantity":1}"""), Encoding.Latin1.GetBytes("""{"order_id":"A","product_name":"Café"}"""), Encoding.UTF8.GetBytes("""{"order_id":"A","end":true}""")];
        var records = values.Select((v, i) => new Formats.KafkaRecord(new Confluent.Kafka.TopicPartition("lines", 2), 10 + i, DateTimeOffset.UnixEpoch, null, v, null)).ToList();

        var record = StoredMessage.WriteOrder(records);
        var (messages, why) = StoredMessage.ReadOrder(record, "order_id is 300 characters long");

        Assert.Null(why);
        Assert.Equal(["lines/2@10", "lines/2@11", "lines/2@12"], messages!.Select(m => m.Position));
        Assert.Equal(values, messages!.Select(m => m.Value!));
        Assert.Equal((null, null), StoredMessage.ReadOrder(StoredMessage.Write(values[0]), "reason")); // one message: not an order's record
    }

    [Fact]
    public void An_order_past_the_letters_budget_keeps_its_first_messages_and_is_not_replayable()
    {
        var big = new byte[Formats.KafkaRecord.DeadLetterValueBytes / 2 + 1];
        Array.Fill(big, (byte)'x');
        var records = Enumerable.Range(0, 3).Select(i => new Formats.KafkaRecord(new Confluent.Kafka.TopicPartition("lines", 0), i, DateTimeOffset.UnixEpoch, null, big, null)).ToList();

        var record = StoredMessage.WriteOrder(records);

        Assert.EndsWith($"{StoredMessage.CutLine}: the order has 3 messages; the letter keeps the first 1", record, StringComparison.Ordinal);
        Assert.Contains("more messages than its letter keeps", StoredMessage.ReadOrder(record, "reason").NotReplayable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_orders_letter_is_replayed_as_the_whole_order_through_the_line_item_format()
    {
        string[] lines = [KafkaSyncHarness.LineJson("A", "c1", "Tea", 2m, 1), KafkaSyncHarness.LineJson("A", "c1", "Jam", 3m, 2), KafkaSyncHarness.EndJson("A")];
        var records = lines.Select((l, i) => new Formats.KafkaRecord(new Confluent.Kafka.TopicPartition("lines", 0), 4 + i, DateTimeOffset.UnixEpoch, null, Encoding.UTF8.GetBytes(l), null)).ToList();
        // As a rule of an earlier configuration or version refused it: the order itself is fine today.
        var letter = new Core.State.DeadLetter("refused by an earlier rule", "lines/0@4, lines/0@5, lines/0@6", StoredMessage.WriteOrder(records), "A", DateTimeOffset.UnixEpoch);
        var options = new KafkaSourceOptions { BootstrapServers = "unused", GroupId = "unused", Format = "line_item" };

        var replay = await new KafkaRecordReplayer(options).ReplayAsync(letter, TestContext.Current.CancellationToken);

        var order = Assert.Single(replay.Batch!.Normalize().Orders);
        Assert.Equal(("A", "c1"), (order.OrderId, order.CustomerId));
        Assert.Equal(["Jam|3|2", "Tea|2|1"], order.LineItems.Select(l => $"{l.ProductName}|{l.UnitPrice}|{l.Quantity}").Order(StringComparer.Ordinal));
    }
}
