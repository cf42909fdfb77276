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
}
