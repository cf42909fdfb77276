using System.Text;
using Affinsy.Sink.Pipelines;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// Messages no format can decode (here: a Latin-1 product name, as an old producer writes it) are dead letters,
/// each once, on whatever partition they sit; the valid messages around them land and the offsets move past them.
/// </summary>
public sealed class PoisonMessageTests
{
    [Fact]
    public async Task Latin1_messages_between_valid_ones_on_several_partitions_are_dead_lettered_and_the_rest_lands()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 3, ct);
        var expected = new List<string>();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = harness.Broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                var key = $"o{i}";
                if (i % 5 == 2)
                {
                    // "Caf\xE9": é in ISO-8859-1 is the single byte 0xE9, never valid UTF-8 before an ASCII quote.
                    var latin1 = Encoding.Latin1.GetBytes($$"""{"order_id":"{{key}}","customer_id":"c1","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}""");
                    await producer.ProduceAsync(new TopicPartition("orders", new Partition(i % 3)), new Message<string, byte[]> { Key = key, Value = latin1 }, ct);
                    continue;
                }

                var json = Encoding.UTF8.GetBytes(KafkaSyncHarness.OrderJson(key, "c1", ("Tea", 2m, 1)));
                await producer.ProduceAsync(new TopicPartition("orders", new Partition(i % 3)), new Message<string, byte[]> { Key = key, Value = json }, ct);
                expected.Add(KafkaSyncHarness.Row(key, "Tea", 2m, 1, "c1"));
            }
        }

        var result = await harness.SyncAsync(harness.Options("orders", "poison"), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        var letters = new List<Affinsy.Core.State.DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync("kafka", ct))
        {
            letters.Add(letter);
        }

        Assert.Equal(6, letters.Count);
        Assert.All(letters, l => Assert.Contains("not valid UTF-8 (byte 0xE9 at offset", l.Reason, StringComparison.Ordinal));
        Assert.Equal(6, letters.Select(l => l.Position).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(3, letters.Select(l => l.Position.Split('@')[0]).Distinct(StringComparer.Ordinal).Count());
        harness.AssertCommittedToEnd("poison", "orders");
    }

    /// <summary>
    /// Every format sees a message only after the encoding check: in each, a Latin-1 product name is a dead letter at its
    /// position with the same reason, and the valid orders around it, on three partitions, land.
    /// </summary>
    [Theory]
    [InlineData("line_item")]
    [InlineData("shopify")]
    [InlineData("woocommerce")]
    public async Task In_every_format_a_Latin1_message_is_a_dead_letter_and_the_orders_around_it_land(string format)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 3, ct);
        var expected = new List<string>();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = harness.Broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 12; i++)
            {
                var id = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var poison = i % 4 == 1;
                foreach (var message in Messages(format, id, poison ? "Café" : "Tea"))
                {
                    var value = poison ? Encoding.Latin1.GetBytes(message) : Encoding.UTF8.GetBytes(message);
                    await producer.ProduceAsync(new TopicPartition("orders", new Partition(i % 3)), new Message<string, byte[]> { Key = id, Value = value }, ct);
                }

                if (!poison)
                {
                    expected.Add(KafkaSyncHarness.Row(id, "Tea", 2m, 1, "5"));
                }
            }
        }

        var result = await harness.SyncAsync(harness.Options("orders", "poison-" + format, format), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        var letters = new List<Affinsy.Core.State.DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync("kafka", ct))
        {
            letters.Add(letter);
        }

        Assert.Equal(3, letters.Count);
        Assert.All(letters, l => Assert.Contains("not valid UTF-8 (byte 0xE9 at offset", l.Reason, StringComparison.Ordinal));
        Assert.Equal(3, letters.Select(l => l.Position.Split('@')[0]).Distinct(StringComparer.Ordinal).Count());
        harness.AssertCommittedToEnd("poison-" + format, "orders");
    }

    /// <summary>One order of one line (price 2, quantity 1, customer 5) in the format's messages.</summary>
    private static string[] Messages(string format, string id, string product) => format switch
    {
        // line_item's poison is its line (written raw: a serializer would escape the é to ASCII); its end marker alone
        // would complete an order with no line.
        "line_item" => product == "Tea"
            ? [KafkaSyncHarness.LineJson(id, "5", product, 2m, 1), KafkaSyncHarness.EndJson(id)]
            : [$$"""{"order_id": "{{id}}", "customer_id": "5", "product_name": "{{product}}", "unit_price": 2, "quantity": 1}"""],
        "shopify" => [$$"""{"id": {{id}}, "test": false, "customer": {"id": 5}, "line_items": [{"title": "{{product}}", "quantity": 1, "price": "2.00", "total_discount": "0.00"}]}"""],
        _ => [$$"""{"id": {{id}}, "status": "completed", "customer_id": 5, "line_items": [{"id": 1, "name": "{{product}}", "product_id": 10, "quantity": 1, "total": "2.00", "price": 2}]}"""],
    };
}
