using System.Text;
using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Core.Sources;
using Affinsy.Core.Configuration;
using Affinsy.Sink.Replay;
using Affinsy.State.Sqlite;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// <c>dead-letters replay</c> of a <c>dead_letter_topic</c>: dead letters written by kcat (an independent producer) with
/// the headers the connector writes (<c>affinsy.error</c>, <c>affinsy.topic</c>, <c>affinsy.partition</c>,
/// <c>affinsy.offset</c>; README "Bad messages never stop the stream"), replayed through the sink's normal path against
/// the reference server, the topic then read back with kcat.
/// </summary>
public sealed class DeadLetterTopicReplayTests
{
    private const string Topic = "orders-dlt";

    [Fact]
    public async Task A_replay_sends_what_passes_now_sends_what_still_fails_back_with_its_new_reason_and_its_original_position_and_moves_past_each_letter_once()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "fixed", Json(KafkaSyncHarness.OrderJson("fixed", "c1", ("Tea", 2m, 3))), ct, Origin("orders", 2, 41, "written by an older mapping"));
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "still-bad", Json(KafkaSyncHarness.OrderJson("still-bad", "c1", ("Tea", 2m, -1))), ct, Origin("orders", 1, 7, "old reason"));
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "stranger", Json(KafkaSyncHarness.OrderJson("stranger", "c1", ("Jam", 1m, 1))), ct, ("source", "someone else"));
        var queue = Queue(harness, "dlt-once");

        var dry = await ReplayAsync(harness, queue, null, dryRun: true, ct);

        Assert.Equal((3L, 1L, 0L, 1L, 1L), (dry.Counts.Read, dry.Counts.Decoded, dry.Counts.Acknowledged, dry.Counts.StillFailingTotal, dry.Counts.NotReplayableTotal));
        Assert.Equal(1, dry.OrdersSent);
        Assert.Empty(harness.StoredRows());
        Assert.Equal(3, (await Kcat.ConsumeAllAsync(bootstrap, Topic, ct)).Count);
        Assert.All(harness.Broker.CommittedOffsets("dlt-once" + DeadLetterTopicQueue.GroupSuffix, Topic).Values, o => Assert.True(o < 0));

        var replay = await ReplayAsync(harness, queue, null, dryRun: false, ct);

        Assert.Null(replay.Error);
        Assert.Equal((3L, 1L, 1L, 1L), (replay.Counts.Read, replay.Counts.Acknowledged, replay.Counts.StillFailingTotal, replay.Counts.NotReplayableTotal));
        Assert.Contains("negative quantity -1 for 'Tea'", Assert.Single(replay.Counts.StillFailing.Keys), StringComparison.Ordinal);
        Assert.Equal([KafkaSyncHarness.Row("fixed", "Tea", 2m, 3, "c1")], harness.StoredRows());
        Assert.False(replay.AllPassed);
        var letters = await Kcat.ConsumeAllAsync(bootstrap, Topic, ct);
        Assert.Equal(4, letters.Count);
        var back = letters.Single(l => l.Key == "still-bad" && l.Headers["affinsy.error"] != "old reason");
        Assert.Equal(("orders", "1", "7"), (back.Headers["affinsy.topic"], back.Headers["affinsy.partition"], back.Headers["affinsy.offset"]));
        Assert.Contains("negative quantity -1 for 'Tea'", back.Headers["affinsy.error"], StringComparison.Ordinal);
        Assert.Equal("dlt-once/orders/1@7", back.Headers["affinsy.dead_letter_id"]);
        Assert.Equal(3, harness.Broker.CommittedOffsets("dlt-once" + DeadLetterTopicQueue.GroupSuffix, Topic)[0]);

        // Replayed once: the next replay reads only the letter sent back, and sends nothing again.
        var again = await ReplayAsync(harness, queue, null, dryRun: false, ct);

        Assert.Equal((1L, 0L, 1L), (again.Counts.Read, again.Counts.Acknowledged, again.Counts.StillFailingTotal));
        Assert.Equal(0, again.OrdersSent);
        Assert.Equal(back.Offset + 1, harness.Broker.CommittedOffsets("dlt-once" + DeadLetterTopicQueue.GroupSuffix, Topic)[back.Partition]);
    }

    [Fact]
    public async Task Letters_whose_reason_does_not_match_are_put_back_unchanged_and_a_later_replay_without_the_filter_sends_them()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        await Kcat.ProduceAsync(bootstrap, Topic, 1, "a", Json(KafkaSyncHarness.OrderJson("a", "c1", ("Tea", 2m, 1))), ct, Origin("orders", 0, 3, "Reason A"));
        await Kcat.ProduceAsync(bootstrap, Topic, 1, "b", Json(KafkaSyncHarness.OrderJson("b", "c2", ("Jam", 3m, 2))), ct, Origin("orders", 0, 4, "Reason B"));
        var queue = Queue(harness, "dlt-filter");

        var filtered = await ReplayAsync(harness, queue, "reason b", dryRun: false, ct);

        Assert.Equal((2L, 1L, 1L), (filtered.Counts.Read, filtered.Counts.Kept, filtered.Counts.Acknowledged));
        Assert.Equal([KafkaSyncHarness.Row("b", "Jam", 3m, 2, "c2")], harness.StoredRows());
        var kept = (await Kcat.ConsumeAllAsync(bootstrap, Topic, ct)).Single(l => l.Partition == 1 && l.Offset == 2);
        Assert.Equal(("a", "Reason A", "3"), (kept.Key, kept.Headers["affinsy.error"], kept.Headers["affinsy.offset"]));

        var rest = await ReplayAsync(harness, queue, null, dryRun: false, ct);

        Assert.Equal((1L, 1L), (rest.Counts.Read, rest.Counts.Acknowledged));
        Assert.True(rest.AllPassed);
        Assert.Equal([KafkaSyncHarness.Row("a", "Tea", 2m, 1, "c1"), KafkaSyncHarness.Row("b", "Jam", 3m, 2, "c2")], harness.StoredRows());
    }

    [Fact]
    public async Task A_copy_of_a_letter_produced_after_it_was_replayed_is_skipped_by_a_later_replay_in_another_process()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        var order = Json(KafkaSyncHarness.OrderJson("copied", "c1", ("Tea", 2m, 1)));
        (string, string)[] headers = [.. Origin("orders", 3, 12, "old reason"), ("affinsy.dead_letter_id", "dlt-copy/orders/3@12")];
        await Kcat.ProduceAsync(bootstrap, Topic, 2, "copied", order, ct, headers);
        var first = await ReplayAsync(harness, Queue(harness, "dlt-copy"), null, dryRun: false, ct);
        Assert.Equal((1L, 1L, 0L), (first.Counts.Read, first.Counts.Acknowledged, first.Counts.Duplicates));

        // The copy a worker killed between producing the dead letter and committing its source offset leaves behind.
        await Kcat.ProduceAsync(bootstrap, Topic, 2, "copied", order, ct, headers);
        var requests = harness.Server.Gate.IngestsAdmitted.Value;
        await using var restarted = await OpenStateAsync(harness, ct);
        var later = await new QueueReplay(harness.Sender, harness.DeadLetters, harness.Checkpoints, null, TimeProvider.System, null, restarted.ReplayedLetters)
            .RunAsync("dlt-copy", KafkaSyncHarness.Dataset, Queue(harness, "dlt-copy"), null, dryRun: false, ct);

        Assert.Equal((1L, 1L, 0L, 0L), (later.Counts.Read, later.Counts.Duplicates, later.Counts.Decoded, later.OrdersSent));
        Assert.Equal(requests, harness.Server.Gate.IngestsAdmitted.Value);
        Assert.Equal([KafkaSyncHarness.Row("copied", "Tea", 2m, 1, "c1")], harness.StoredRows());
        Assert.Equal(2, harness.Broker.CommittedOffsets("dlt-copy" + DeadLetterTopicQueue.GroupSuffix, Topic)[2]);
    }

    [Fact]
    public async Task A_letter_produced_twice_to_the_topic_after_a_crash_is_sent_once()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        var order = Json(KafkaSyncHarness.OrderJson("twice", "c1", ("Tea", 2m, 1)));
        await Kcat.ProduceAsync(bootstrap, Topic, 2, "twice", order, ct, Origin("orders", 3, 12, "old reason"));
        await Kcat.ProduceAsync(bootstrap, Topic, 2, "twice", order, ct, Origin("orders", 3, 12, "old reason"));

        var replay = await ReplayAsync(harness, Queue(harness, "dlt-twice"), null, dryRun: false, ct);

        Assert.Equal((2L, 1L, 1L), (replay.Counts.Read, replay.Counts.Duplicates, replay.Counts.Acknowledged));
        Assert.Equal(1, replay.OrdersSent);
        Assert.Equal([KafkaSyncHarness.Row("twice", "Tea", 2m, 1, "c1")], harness.StoredRows());
    }

    [Fact]
    public async Task A_latin1_letter_goes_back_to_the_topic_with_its_encoding_reason_and_the_letters_around_it_are_sent()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        // "Café" as ISO-8859-1 writes it: 0xE9 before an ASCII quote is never valid UTF-8. The affinsy reader threw on it
        // when the replay handed it over without the encoding check a sync makes.
        var latin1 = Encoding.Latin1.GetBytes("""{"order_id":"latin1","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}""");
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "before", Json(KafkaSyncHarness.OrderJson("before", "c1", ("Tea", 2m, 1))), ct, Origin("orders", 0, 1, "old reason"));
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "latin1", latin1, ct, Origin("orders", 0, 2, "not valid UTF-8"));
        await Kcat.ProduceAsync(bootstrap, Topic, 0, "after", Json(KafkaSyncHarness.OrderJson("after", "c2", ("Jam", 3m, 2))), ct, Origin("orders", 0, 3, "old reason"));

        var replay = await ReplayAsync(harness, Queue(harness, "dlt-latin1"), null, dryRun: false, ct);

        Assert.Null(replay.Error);
        Assert.Equal((3L, 2L, 1L), (replay.Counts.Read, replay.Counts.Acknowledged, replay.Counts.StillFailingTotal));
        Assert.Equal([KafkaSyncHarness.Row("after", "Jam", 3m, 2, "c2"), KafkaSyncHarness.Row("before", "Tea", 2m, 1, "c1")], harness.StoredRows());
        var back = (await Kcat.ConsumeAllAsync(bootstrap, Topic, ct)).Single(l => l.Offset == 3);
        Assert.Equal(("latin1", "2"), (back.Key, back.Headers["affinsy.offset"]));
        Assert.Contains("not valid UTF-8 (byte 0xE9 at offset", back.Headers["affinsy.error"], StringComparison.Ordinal);
    }

    private static IDeadLetterQueue Queue(KafkaSyncHarness harness, string group) =>
        new DeadLetterTopicQueue(harness.Options("orders", group) with { DeadLetterTopic = Topic }, SourceContext.ForTesting(group));

    /// <summary>A replay as the Host runs it, recording replayed letters in a SQLite state store (opened for this replay alone).</summary>
    private static async Task<QueueReplayResult> ReplayAsync(KafkaSyncHarness harness, IDeadLetterQueue queue, string? reason, bool dryRun, CancellationToken ct)
    {
        await using var state = await OpenStateAsync(harness, ct);
        return await new QueueReplay(harness.Sender, harness.DeadLetters, harness.Checkpoints, null, TimeProvider.System, null, state.ReplayedLetters)
            .RunAsync("kafka", KafkaSyncHarness.Dataset, queue, reason, dryRun, ct);
    }

    private static async Task<SqliteStateBackend> OpenStateAsync(KafkaSyncHarness harness, CancellationToken ct) =>
        await SqliteStateBackend.OpenAsync(new StateSettings { Path = harness.Directory.File("replay-state.db") }, TimeProvider.System, ct);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static (string, string)[] Origin(string topic, int partition, long offset, string error) =>
    [
        ("affinsy.error", error), ("affinsy.topic", topic),
        ("affinsy.partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("affinsy.offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("affinsy.timestamp", "2026-12-01T10:00:00.0000000+00:00"),
    ];
}
