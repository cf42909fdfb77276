using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class KafkaSyncTests
{
    [Fact]
    public async Task A_batch_sync_lands_every_order_at_its_latest_version_and_commits_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var messages = new List<(string, string)>();
        var expected = new Dictionary<(string, string), string>();
        for (var i = 0; i < 60; i++)
        {
            var id = $"o{i}";
            messages.Add((id, KafkaSyncHarness.OrderJson(id, $"c{i % 7}", ("Tea", 2.5m, 1 + (i % 3)), ($"P{i % 5}", 10m, 2))));
            expected[(id, "Tea")] = KafkaSyncHarness.Row(id, "Tea", 2.5m, 1 + (i % 3), $"c{i % 7}");
            expected[(id, $"P{i % 5}")] = KafkaSyncHarness.Row(id, $"P{i % 5}", 10m, 2, $"c{i % 7}");
        }

        for (var i = 0; i < 60; i += 6)
        {
            // A later version of an earlier order: new quantity and a new product.
            var id = $"o{i}";
            messages.Add((id, KafkaSyncHarness.OrderJson(id, $"c{i % 7}", ("Tea", 3m, 9), ("Jam", 4m, 1))));
            expected[(id, "Tea")] = KafkaSyncHarness.Row(id, "Tea", 3m, 9, $"c{i % 7}");
            expected[(id, "Jam")] = KafkaSyncHarness.Row(id, "Jam", 4m, 1, $"c{i % 7}");
        }

        messages.AddRange(messages.Take(5).ToList()); // exact duplicates of the first versions...
        messages.AddRange(messages.Skip(60).Take(10).ToList()); // ...re-sent again after them, so latest stays latest
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.ProduceAsync("orders", messages, ct);

        var result = await harness.SyncAsync(harness.Options("orders", "g1"), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(messages.Count, result.OrdersRead); // every version is sent, in partition order
        Assert.Equal(expected.Values.Order(StringComparer.Ordinal), harness.StoredRows());
        harness.AssertCommittedToEnd("g1", "orders");
    }

    [Fact]
    public async Task A_batch_sync_reports_how_far_it_has_read_up_to_the_end_offsets_taken_when_it_started()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.ProduceAsync("orders", Orders(0, 120), ct);
        var first = new ProgressRecorder();

        var result = await harness.SyncAsync(harness.Options("orders", "g1"), ct, first);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Contains(new SourceProgress(120, 120), first.Sources);
        Assert.All(first.Sources, p => Assert.Equal(120, p.Total));

        // The next run counts only what it has to read: the 30 messages appended since.
        await harness.ProduceAsync("orders", Orders(120, 30), ct);
        var second = new ProgressRecorder();
        await harness.SyncAsync(harness.Options("orders", "g1"), ct, second);
        Assert.Contains(new SourceProgress(30, 30), second.Sources);
        Assert.All(second.Sources, p => Assert.Equal(30, p.Total));
    }

    private static List<(string, string)> Orders(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => ($"o{i}", KafkaSyncHarness.OrderJson($"o{i}", $"c{i % 7}", ("Tea", 2.5m, 1))))];

    /// <summary>Keeps every source progress the sync reports, on the reporting thread (Progress&lt;T&gt; would post and reorder).</summary>
    private sealed class ProgressRecorder : IProgress<SyncProgress>
    {
        private readonly Lock gate = new();
        private readonly List<SourceProgress> sources = [];

        public IReadOnlyList<SourceProgress> Sources
        {
            get
            {
                lock (gate)
                {
                    return [.. sources];
                }
            }
        }

        public void Report(SyncProgress value)
        {
            if (value.Source is { } source)
            {
                lock (gate)
                {
                    sources.Add(source);
                }
            }
        }
    }

    [Theory]
    [InlineData(3_600)] // the consumer only ever holds: the sink's pace is waited out with the prefetch kept
    [InlineData(0)] // every time it is ahead it pauses at once, and resumes at half
    public async Task A_consumer_far_ahead_of_the_sink_holds_back_and_still_lands_and_commits_everything(int holdSeconds)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var messages = new List<(string, string)>();
        var expected = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var id = $"o{i}";
            messages.Add((id, KafkaSyncHarness.OrderJson(id, $"c{i % 7}", ("Tea", 2.5m, 1 + (i % 3)))));
            expected.Add(KafkaSyncHarness.Row(id, "Tea", 2.5m, 1 + (i % 3), $"c{i % 7}"));
        }

        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.ProduceAsync("orders", messages, ct);

        // 400 messages against a limit of 25, and batches that would wait for 100 orders: the consumer goes over the
        // limit with its orders not yet handed over. A hold that kept them back from the pipeline would wait for an
        // acknowledgement that cannot come (and this would time out).
        var options = harness.Options("orders", "g1") with
        {
            MaxUnacknowledged = 25,
            BatchMaxOrders = 100,
            BatchLinger = TimeSpan.FromHours(1),
            HoldBeforePause = TimeSpan.FromSeconds(holdSeconds),
        };
        var result = await harness.SyncAsync(options, ct).WaitAsync(TimeSpan.FromMinutes(1), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(400, result.OrdersRead);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        harness.AssertCommittedToEnd("g1", "orders");
    }

    [Fact]
    public async Task Line_items_interleaved_across_partitions_are_gathered_by_order_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var perOrder = new List<List<(string, string)>>();
        var expected = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var id = $"L{i}";
            var lines = new List<(string, string)>();
            for (var p = 0; p < 1 + (i % 4); p++)
            {
                lines.Add((id, KafkaSyncHarness.LineJson(id, $"c{i}", $"Item{p}", 1m + p, 1)));
                expected.Add(KafkaSyncHarness.Row(id, $"Item{p}", 1m + p, 1, $"c{i}"));
            }

            lines.Add((id, KafkaSyncHarness.LineJson(id, $"c{i}", "Item0", 1m, 2))); // a repeated product adds up
            expected[expected.FindIndex(r => r.StartsWith($"{id}|Item0|", StringComparison.Ordinal))] = KafkaSyncHarness.Row(id, "Item0", 1m, 3, $"c{i}");
            if (i % 2 == 0)
            {
                lines.Add((id, KafkaSyncHarness.EndJson(id)));
            }

            perOrder.Add(lines);
        }

        // Round-robin over the orders: every order's lines are interleaved with every other order's.
        var interleaved = new List<(string, string)>();
        for (var round = 0; perOrder.Any(l => l.Count > round); round++)
        {
            interleaved.AddRange(perOrder.Where(l => l.Count > round).Select(l => l[round]));
        }

        await harness.Broker.CreateTopicAsync("lines", 4, ct);
        await harness.ProduceAsync("lines", interleaved, ct);

        var result = await harness.SyncAsync(harness.Options("lines", "g2", "line_item") with { OrderIdle = TimeSpan.FromMinutes(5) }, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(20, result.OrdersRead);
        Assert.Equal(expected.Order(StringComparer.Ordinal), harness.StoredRows());
        harness.AssertCommittedToEnd("g2", "lines");
    }

    [Fact]
    public async Task Malformed_messages_go_to_the_dead_letter_topic_with_their_origin_and_the_rest_flows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.Broker.CreateTopicAsync("orders-dlt", 4, ct);
        await harness.ProduceAsync("orders",
        [
            ("a", KafkaSyncHarness.OrderJson("a", "c1", ("Tea", 2m, 1))),
            ("bad1", "this is not json"),
            ("bad2", """{"order_id":"x","line_items":"nope"}"""),
            ("bad3", KafkaSyncHarness.OrderJson("neg", "c1", ("Tea", 2m, -1))),
            ("b", KafkaSyncHarness.OrderJson("b", "c2", ("Jam", 3m, 2))),
        ], ct);

        var result = await harness.SyncAsync(harness.Options("orders", "g3") with { DeadLetterTopic = "orders-dlt" }, ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal([KafkaSyncHarness.Row("a", "Tea", 2m, 1, "c1"), KafkaSyncHarness.Row("b", "Jam", 3m, 2, "c2")], harness.StoredRows());
        var dead = harness.Broker.ReadAll("orders-dlt", ct);
        Assert.Equal(3, result.OrdersRefused); // counted like every dead letter, though only on the topic
        Assert.Equal(["bad1", "bad2", "bad3"], dead.Select(d => d.Message.Key).Order(StringComparer.Ordinal));
        foreach (var letter in dead)
        {
            string Header(string name) => System.Text.Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(name));
            Assert.Equal("orders", Header("affinsy.topic"));
            Assert.False(string.IsNullOrWhiteSpace(Header("affinsy.error")));
            Assert.True(int.Parse(Header("affinsy.partition"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.True(long.Parse(Header("affinsy.offset"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.True(DateTimeOffset.TryParse(Header("affinsy.timestamp"), System.Globalization.CultureInfo.InvariantCulture, out _));
        }

        Assert.Contains("not a valid JSON", System.Text.Encoding.UTF8.GetString(dead.Single(d => d.Message.Key == "bad1").Message.Headers.GetLastBytes("affinsy.error")), StringComparison.Ordinal);
        harness.AssertCommittedToEnd("g3", "orders");
    }

    [Fact]
    public async Task Without_a_dead_letter_topic_malformed_messages_are_refusals_named_by_topic_partition_and_offset()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 4, ct);
        await harness.ProduceAsync("orders", [("bad", "{oops"), ("a", KafkaSyncHarness.OrderJson("a", "c1", ("Tea", 2m, 1)))], ct);

        var result = await harness.SyncAsync(harness.Options("orders", "g4"), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(1, result.OrdersRefused);
        var letters = new List<Affinsy.Core.State.DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync("kafka", ct))
        {
            letters.Add(letter);
        }

        var refused = Assert.Single(letters);
        Assert.Matches(@"^orders/\d+@0$", refused.Position);
        Assert.Equal("{oops", refused.OriginalRecord);
        Assert.Equal([KafkaSyncHarness.Row("a", "Tea", 2m, 1, "c1")], harness.StoredRows());
    }
}
