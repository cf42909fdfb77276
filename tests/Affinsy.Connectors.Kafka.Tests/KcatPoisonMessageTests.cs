using System.Text;
using Affinsy.Core.State;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// Poison messages written by kcat, an independent producer, between good orders on several partitions: each is
/// dead-lettered once with its reason and topic/partition/offset, every good order lands exactly, the run completes
/// and the committed offsets pass them all. The dead-letter topic is read back with kcat as its consumers would.
/// </summary>
public sealed class KcatPoisonMessageTests
{
    /// <summary>3 MB: over the dead-letter producer's default message.max.bytes (1,000,000), under the consumer's fetch limits.</summary>
    private const int HugeBytes = 3_000_000;

    [Fact]
    public async Task Poison_messages_from_kcat_each_go_once_to_the_dead_letter_topic_with_their_position_and_every_good_order_lands()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders-dlt", 1, ct);
        var expected = await ProducePoisonSetAsync(harness, ct);
        using var metrics = new DeadLetterMetric("kcat-topic");

        var result = await SyncAsync(harness, "kcat-topic", harness.Options("orders", "kcat-topic") with { DeadLetterTopic = "orders-dlt" }, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        Assert.Empty(await StoredLettersAsync(harness, "kcat-topic", ct));
        Assert.Equal(Poison.Count, result.OrdersRefused);
        Assert.Equal(Poison.Count, metrics.Total);

        var source = (await Kcat.ConsumeAllAsync(harness.Broker.BootstrapServers, "orders", ct)).ToDictionary(m => m.Key ?? "(null)", StringComparer.Ordinal);
        var letters = await Kcat.ConsumeAllAsync(harness.Broker.BootstrapServers, "orders-dlt", ct);
        Assert.Equal(Poison.Keys.Order(StringComparer.Ordinal), letters.Select(l => l.Key ?? "(null)").Order(StringComparer.Ordinal));
        foreach (var letter in letters)
        {
            var key = letter.Key ?? "(null)";
            var original = source[key];
            Assert.Equal("orders", letter.Headers["affinsy.topic"]);
            Assert.Equal(original.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Headers["affinsy.partition"]);
            Assert.Equal(original.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Headers["affinsy.offset"]);
            Assert.Equal($"kcat-topic/orders/{original.Partition}@{original.Offset}", letter.Headers["affinsy.dead_letter_id"]);
            Assert.Contains(Poison[key], letter.Headers["affinsy.error"], StringComparison.Ordinal);
            Assert.Equal(key == "huge", letter.Headers.ContainsKey("affinsy.truncated"));
        }

        var huge = letters.Single(l => l.Key == "huge");
        Assert.Equal("true", huge.Headers["affinsy.truncated"]);
        Assert.Equal(HugeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), huge.Headers["affinsy.original_size"]);
        Assert.Equal(Formats.KafkaRecord.DeadLetterValueBytes, huge.Payload!.Length);
        Assert.Null(letters.Single(l => l.Key is null).Payload);
        harness.AssertCommittedToEnd("kcat-topic", "orders");
    }

    [Fact]
    public async Task Without_a_dead_letter_topic_poison_messages_from_kcat_are_stored_once_each_and_a_huge_one_keeps_its_first_64_KiB()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var expected = await ProducePoisonSetAsync(harness, ct);
        using var metrics = new DeadLetterMetric("kcat-store");

        var result = await SyncAsync(harness, "kcat-store", harness.Options("orders", "kcat-store"), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        var source = await Kcat.ConsumeAllAsync(harness.Broker.BootstrapServers, "orders", ct);
        var letters = await StoredLettersAsync(harness, "kcat-store", ct);
        Assert.True(Poison.Count == letters.Count, string.Join("\n", letters.Select(l => $"{l.Position}: {l.Reason}")) + "\nsource: " + string.Join(", ", source.Select(m => $"{m.Key ?? "(null)"}@{m.Partition}/{m.Offset}:{m.Payload?.Length}")));
        Assert.Equal(Poison.Count, result.OrdersRefused);
        Assert.Equal(Poison.Count, metrics.Total);
        foreach (var (key, reason) in Poison)
        {
            var original = source.Single(m => (m.Key ?? "(null)") == key);
            var letter = Assert.Single(letters, l => l.Position == $"orders/{original.Partition}@{original.Offset}");
            Assert.Contains(reason, letter.Reason, StringComparison.Ordinal);
        }

        var huge = letters.Single(l => l.Reason.Contains("3,000,000 bytes", StringComparison.Ordinal));
        Assert.Equal(
            new string('x', Formats.KafkaRecord.DeadLetterValueBytes - 27) + $"\n{DeadLetters.StoredMessage.CutLine}: the message is 3,000,000 bytes; the letter keeps the first 65,536",
            huge.OriginalRecord[27..]);
        harness.AssertCommittedToEnd("kcat-store", "orders");
    }

    /// <summary>Topics <c>orders</c> (4 partitions) and <c>orders-dlt</c>; kcat puts a huge message, then order "a", on partition 1.</summary>
    private static async Task<KafkaSyncHarness> HugeThenOrderAsync(CancellationToken ct)
    {
        var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.Broker.CreateTopicAsync("orders-dlt", 1, ct);
        var huge = new byte[HugeBytes];
        Array.Fill(huge, (byte)'x');
        await Kcat.ProduceAsync(harness.Broker.BootstrapServers, "orders", 1, "huge", huge, ct);
        await Kcat.ProduceLinesAsync(harness.Broker.BootstrapServers, "orders", 1, [("a", KafkaSyncHarness.OrderJson("a", "c1", ("Tea", 2m, 1)))], ct);
        return harness;
    }

    [Fact]
    public async Task A_huge_poison_message_goes_whole_to_the_dead_letter_topic_when_dead_letter_properties_raise_the_limit()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await HugeThenOrderAsync(ct);
        var options = harness.Options("orders", "kcat-whole") with
        {
            DeadLetterTopic = "orders-dlt",
            DeadLetterProperties = new Dictionary<string, string> { ["message.max.bytes"] = "10000000" },
        };

        var result = await SyncAsync(harness, "kcat-whole", options, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal([KafkaSyncHarness.Row("a", "Tea", 2m, 1, "c1")], harness.StoredRows());
        var letter = Assert.Single(await Kcat.ConsumeAllAsync(harness.Broker.BootstrapServers, "orders-dlt", ct));
        Assert.Equal(HugeBytes, letter.Payload!.Length);
        Assert.False(letter.Headers.ContainsKey("affinsy.truncated"));
        Assert.Equal("0", letter.Headers["affinsy.offset"]);
        harness.AssertCommittedToEnd("kcat-whole", "orders");
    }

    [Fact]
    public async Task A_huge_poison_message_the_dead_letter_producer_cannot_take_even_cut_goes_to_the_store_with_its_reason()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await HugeThenOrderAsync(ct);

        // Below the 64 KiB a cut dead letter keeps: the topic cannot take it at all.
        var options = harness.Options("orders", "kcat-refused") with
        {
            DeadLetterTopic = "orders-dlt",
            DeadLetterProperties = new Dictionary<string, string> { ["message.max.bytes"] = "50000" },
        };

        var result = await SyncAsync(harness, "kcat-refused", options, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal([KafkaSyncHarness.Row("a", "Tea", 2m, 1, "c1")], harness.StoredRows());
        Assert.Empty(await Kcat.ConsumeAllAsync(harness.Broker.BootstrapServers, "orders-dlt", ct));
        var letter = Assert.Single(await StoredLettersAsync(harness, "kcat-refused", ct));
        Assert.Equal("orders/1@0", letter.Position);
        Assert.Contains("(the message is 3,000,000 bytes; its dead letter keeps the first 65,536)", letter.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"{DeadLetters.StoredMessage.CutLine}: the message is 3,000,000 bytes; the letter keeps the first 65,536", letter.OriginalRecord, StringComparison.Ordinal);
        harness.AssertCommittedToEnd("kcat-refused", "orders");
    }

    /// <summary>Each poison message's key (the tombstone has none) and what its dead letter's reason must say.</summary>
    private static readonly Dictionary<string, string> Poison = new(StringComparer.Ordinal)
    {
        ["latin1"] = "not valid UTF-8 (byte 0xE9 at offset",
        ["notjson"] = "not a valid JSON message",
        ["huge"] = "not a valid JSON message",
        ["empty"] = "not a valid JSON message",
        ["(null)"] = "empty or null message",
        ["negative"] = "negative quantity -1 for 'Tea'",
    };

    /// <summary>
    /// Good orders before and after poison messages on all four partitions of <c>orders</c> (the mock cluster's
    /// default), one good order with headers; returns the rows the good orders must store.
    /// </summary>
    private static async Task<List<string>> ProducePoisonSetAsync(KafkaSyncHarness harness, CancellationToken ct)
    {
        var bootstrap = harness.Broker.BootstrapServers;
        Assert.Equal(4, await harness.Broker.CreateTopicAsync("orders", 4, ct));
        var expected = new List<string>();
        async Task GoodAsync(int partition, string prefix)
        {
            var orders = Enumerable.Range(0, 3).Select(i => ($"{prefix}{partition}-{i}", KafkaSyncHarness.OrderJson($"{prefix}{partition}-{i}", "c1", ("Tea", 2m, i + 1)))).ToList();
            await Kcat.ProduceLinesAsync(bootstrap, "orders", partition, orders, ct);
            expected.AddRange(orders.Select(o => KafkaSyncHarness.Row(o.Item1, "Tea", 2m, int.Parse(o.Item1[^1..], System.Globalization.CultureInfo.InvariantCulture) + 1, "c1")));
        }

        for (var partition = 0; partition < 4; partition++)
        {
            await GoodAsync(partition, "before");
        }

        // "Café" as ISO-8859-1 writes it: 0xE9 is never valid UTF-8 before an ASCII quote.
        await Kcat.ProduceAsync(bootstrap, "orders", 0, "latin1", Encoding.Latin1.GetBytes("""{"order_id":"latin1","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}"""), ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 0, "empty", [], ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 1, "notjson", "order 7, two teas"u8.ToArray(), ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 1, null, null, ct);
        var huge = new byte[HugeBytes];
        Array.Fill(huge, (byte)'x');
        "{\"order_id\":\"huge\",\"note\":\""u8.CopyTo(huge);
        await Kcat.ProduceAsync(bootstrap, "orders", 2, "huge", huge, ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 3, "negative", Encoding.UTF8.GetBytes(KafkaSyncHarness.OrderJson("negative", "c1", ("Tea", 2m, -1))), ct);

        // Headers are not read: the order lands as any other.
        await Kcat.ProduceAsync(bootstrap, "orders", 3, "with-headers", Encoding.UTF8.GetBytes(KafkaSyncHarness.OrderJson("with-headers", "c2", ("Jam", 3m, 2))), ct,
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("source", "pos"));
        expected.Add(KafkaSyncHarness.Row("with-headers", "Jam", 3m, 2, "c2"));

        for (var partition = 0; partition < 4; partition++)
        {
            await GoodAsync(partition, "after");
        }

        return expected;
    }

    internal static async Task<SyncResult> SyncAsync(KafkaSyncHarness harness, string pipeline, KafkaSourceOptions options, CancellationToken ct)
    {
        var source = new KafkaOrderSource(options, SourceContext.ForTesting(pipeline));
        return await new PipelineSync(harness.Sender, harness.Checkpoints, harness.DeadLetters).RunAsync(pipeline, KafkaSyncHarness.Dataset, source, null, ct);
    }

    internal static async Task<List<DeadLetter>> StoredLettersAsync(KafkaSyncHarness harness, string pipeline, CancellationToken ct)
    {
        var letters = new List<DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync(pipeline, ct))
        {
            letters.Add(letter);
        }

        return letters;
    }
}
