using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// <c>format: line_item</c> with messages written by kcat: a line that cannot be taken is one dead letter at its own
/// position and the other lines of its order still land; an order refused whole is one dead letter naming every
/// message of it.
/// </summary>
public sealed class KcatLineItemTests
{
    [Fact]
    public async Task A_refused_line_is_dead_lettered_alone_at_its_position_and_the_other_lines_of_its_order_land()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        Assert.Equal(4, await harness.Broker.CreateTopicAsync("lines", 4, ct));
        await harness.Broker.CreateTopicAsync("lines-dlt", 1, ct);
        var longId = new string('L', 300);
        await Kcat.ProduceLinesAsync(bootstrap, "lines", 0,
        [
            ("A", KafkaSyncHarness.LineJson("A", "c1", "Tea", 2m, 1)),
            ("A", KafkaSyncHarness.LineJson("A", "c1", "Jam", 3m, -1)),
            ("A", KafkaSyncHarness.LineJson("A", "c1", "Bread", 1m, 2)),
            ("A", KafkaSyncHarness.EndJson("A")),
        ], ct);
        await Kcat.ProduceLinesAsync(bootstrap, "lines", 1,
        [
            ("B", """{"order_id":"B","customer_id":"c2","product_name":"Milk","quantity":1}"""),
            ("B", KafkaSyncHarness.LineJson("B", "c2", "Milk", 1m, 1)),
            ("B", """{"order_id":"B","order_date":"last tuesday","product_name":"Eggs","unit_price":2,"quantity":6}"""),
            ("B", KafkaSyncHarness.EndJson("B")),
        ], ct);
        await Kcat.ProduceLinesAsync(bootstrap, "lines", 2,
        [
            (longId, KafkaSyncHarness.LineJson(longId, "c3", "Tea", 2m, 1)),
            (longId, KafkaSyncHarness.LineJson(longId, "c3", "Jam", 3m, 1)),
            (longId, KafkaSyncHarness.EndJson(longId)),
        ], ct);
        await Kcat.ProduceLinesAsync(bootstrap, "lines", 3, [("D", KafkaSyncHarness.LineJson("D", "c4", "Rice", 4m, 1)), ("D", KafkaSyncHarness.EndJson("D"))], ct);
        var options = harness.Options("lines", "kcat-lines", "line_item") with { DeadLetterTopic = "lines-dlt", OrderIdle = TimeSpan.FromMinutes(5) };

        var result = await KcatPoisonMessageTests.SyncAsync(harness, "kcat-lines", options, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(
            new[]
            {
                KafkaSyncHarness.Row("A", "Bread", 1m, 2, "c1"), KafkaSyncHarness.Row("A", "Tea", 2m, 1, "c1"),
                KafkaSyncHarness.Row("B", "Milk", 1m, 1, "c2"), KafkaSyncHarness.Row("D", "Rice", 4m, 1, "c4"),
            }.Order(StringComparer.Ordinal),
            harness.StoredRows());

        // Each refused line: one message on the dead-letter topic, at the line's own partition and offset.
        var letters = (await Kcat.ConsumeAllAsync(bootstrap, "lines-dlt", ct))
            .ToDictionary(l => $"{l.Headers["affinsy.topic"]}/{l.Headers["affinsy.partition"]}@{l.Headers["affinsy.offset"]}", l => l.Headers["affinsy.error"], StringComparer.Ordinal);
        Assert.Equal(["lines/0@1", "lines/1@0", "lines/1@2"], letters.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("negative quantity -1 for 'Jam'", letters["lines/0@1"], StringComparison.Ordinal);
        Assert.StartsWith("a line item needs product_name, unit_price and quantity", letters["lines/1@0"], StringComparison.Ordinal);
        Assert.StartsWith("order_date 'last tuesday' is not a date", letters["lines/1@2"], StringComparison.Ordinal);

        // The order refused whole (its id is too long): one dead letter naming all three of its messages.
        var stored = Assert.Single(await KcatPoisonMessageTests.StoredLettersAsync(harness, "kcat-lines", ct));
        Assert.Equal("lines/2@0, lines/2@1, lines/2@2", stored.Position);
        Assert.Contains("order_id is 300 characters long", stored.Reason, StringComparison.Ordinal);

        // It keeps every message, so a replay reads the whole order again: refused for the same reason, the same letter.
        var (messages, notReplayable) = DeadLetters.StoredMessage.ReadOrder(stored.OriginalRecord, stored.Reason);
        Assert.Null(notReplayable);
        Assert.Equal(
            [KafkaSyncHarness.LineJson(longId, "c3", "Tea", 2m, 1), KafkaSyncHarness.LineJson(longId, "c3", "Jam", 3m, 1), KafkaSyncHarness.EndJson(longId)],
            messages!.Select(m => System.Text.Encoding.UTF8.GetString(m.Value!)));
        var replay = await new DeadLetters.KafkaRecordReplayer(options).ReplayAsync(stored, ct);
        var again = replay.Batch!.Normalize();
        Assert.Empty(again.Orders);
        Assert.Equal((stored.Position, stored.Reason), (Assert.Single(again.Refusals).Position, Assert.Single(again.Refusals).Reason));
        Assert.Equal(4, result.OrdersRefused);
        harness.AssertCommittedToEnd("kcat-lines", "lines");
    }
}
