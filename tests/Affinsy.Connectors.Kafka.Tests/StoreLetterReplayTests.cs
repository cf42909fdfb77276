using System.Text;
using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Replay;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// <c>dead-letters replay</c> of the messages a Kafka pipeline without a <c>dead_letter_topic</c> kept in the dead-letter
/// store: messages produced by kcat (an independent producer) to a pipeline whose <c>format:</c> is wrong, with poison
/// messages among them; the format is fixed, the replay decodes each letter's kept bytes again and sends what passes
/// exactly once, and what still fails keeps its one letter.
/// </summary>
public sealed class StoreLetterReplayTests
{
    /// <summary>"Café" as ISO-8859-1 writes it: 0xE9 before an ASCII quote is never valid UTF-8.</summary>
    private static readonly byte[] Latin1 = Encoding.Latin1.GetBytes("""{"order_id":"latin1","line_items":[{"product_name":"Café","unit_price":2,"quantity":1}]}""");

    [Fact]
    public async Task Letters_kept_in_the_store_land_once_the_format_is_fixed_poison_ones_keep_their_bytes_and_reason_and_a_second_replay_sends_nothing()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        var bootstrap = harness.Broker.BootstrapServers;
        await harness.Broker.CreateTopicAsync("orders", 2, ct);
        await Kcat.ProduceLinesAsync(bootstrap, "orders", 0, [("l1", KafkaSyncHarness.LineJson("l1", "c1", "Tea", 2m, 1)), ("l1", KafkaSyncHarness.EndJson("l1"))], ct);
        await Kcat.ProduceLinesAsync(bootstrap, "orders", 1, [("w1", KafkaSyncHarness.OrderJson("w1", "c2", ("Jam", 3m, 1), ("Tea", 2m, 2)))], ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 0, "latin1", Latin1, ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 1, "notjson", "order 7, two teas"u8.ToArray(), ct);
        await Kcat.ProduceAsync(bootstrap, "orders", 1, null, null, ct);
        await Kcat.ProduceLinesAsync(bootstrap, "orders", 0, [("w2", KafkaSyncHarness.OrderJson("w2", "c3", ("Jam", 3m, 4)))], ct);

        var sync = await KcatPoisonMessageTests.SyncAsync(harness, "store-replay", harness.Options("orders", "store-replay", "line_item"), ct);

        Assert.Equal(SyncOutcome.Completed, sync.Outcome);
        Assert.Equal([KafkaSyncHarness.Row("l1", "Tea", 2m, 1, "c1")], harness.StoredRows());
        var letters = await ListAsync(harness, ct);
        Assert.Equal(5, letters.Count);
        var latin1 = Assert.Single(letters, l => l.Letter.Reason.Contains("not valid UTF-8 (byte 0xE9", StringComparison.Ordinal));
        Assert.StartsWith(StoredMessage.Base64Line + "\n", latin1.Letter.OriginalRecord, StringComparison.Ordinal);
        Assert.Equal(Latin1, Convert.FromBase64String(latin1.Letter.OriginalRecord[(StoredMessage.Base64Line.Length + 1)..]));
        Assert.Equal(StoredMessage.NullLine, Assert.Single(letters, l => l.Letter.Reason.StartsWith("empty or null", StringComparison.Ordinal)).Letter.OriginalRecord);
        Assert.Equal("order 7, two teas", Assert.Single(letters, l => l.Letter.Reason.StartsWith("not a valid JSON", StringComparison.Ordinal)).Letter.OriginalRecord);

        // The fix: the producer writes whole orders, so the pipeline's format becomes affinsy.
        var fixedOptions = harness.Options("orders", "store-replay", "affinsy");
        var dry = await ReplayAsync(harness, letters, fixedOptions, dryRun: true, ct);
        Assert.Equal((2, 3), (dry.Passed, dry.Letters.Count(l => l.Fate == LetterFate.StillFailing)));
        Assert.Single(harness.StoredRows());

        var requests = harness.Server.Gate.IngestsAdmitted.Value;
        var replay = await ReplayAsync(harness, letters, fixedOptions, dryRun: false, ct);

        Assert.Null(replay.Error);
        Assert.Equal((2L, 3L), (replay.OrdersSent, replay.LineItemsSent));
        Assert.Equal(
            [
                KafkaSyncHarness.Row("l1", "Tea", 2m, 1, "c1"), KafkaSyncHarness.Row("w1", "Jam", 3m, 1, "c2"),
                KafkaSyncHarness.Row("w1", "Tea", 2m, 2, "c2"), KafkaSyncHarness.Row("w2", "Jam", 3m, 4, "c3"),
            ],
            harness.StoredRows());
        Assert.True(harness.Server.Gate.IngestsAdmitted.Value > requests);

        // Latin-1 fails for the reason it had: the same letter (same identity), unresolved. The other two fail for the
        // affinsy format's reasons now: new letters supersede them (the tombstone is still a tombstone, not an empty message).
        Assert.Equal(
            [(latin1.Id, false)],
            replay.Letters.Where(l => l.Letter.Letter.Reason.Contains("UTF-8", StringComparison.Ordinal)).Select(l => (l.Letter.Id, l.Resolved)));
        var after = await ListAsync(harness, ct);
        Assert.Equal(7, after.Count);
        Assert.Equal(4, after.Count(l => l.ResolvedAt is not null));
        var open = after.Where(l => l.ResolvedAt is null).ToList();
        Assert.Equal(3, open.Count);
        Assert.Contains(open, l => l.Id == latin1.Id);
        Assert.Contains(open, l => l.Letter.Reason.StartsWith("empty or null message; expected a JSON object with order_id and line_items", StringComparison.Ordinal)
            && l.Letter.OriginalRecord == StoredMessage.NullLine);
        Assert.Contains(open, l => l.Letter.Reason.StartsWith("not a valid JSON message", StringComparison.Ordinal) && l.Letter.Reason.Contains("with order_id and line_items", StringComparison.Ordinal));

        requests = harness.Server.Gate.IngestsAdmitted.Value;
        var again = await ReplayAsync(harness, after, fixedOptions, dryRun: false, ct);

        Assert.Equal((0L, 0, 3), (again.OrdersSent, again.Passed, again.Letters.Count(l => l.Fate == LetterFate.StillFailing)));
        Assert.All(again.Letters, l => Assert.False(l.Resolved));
        Assert.Equal(requests, harness.Server.Gate.IngestsAdmitted.Value);
        Assert.Equal(7, (await ListAsync(harness, ct)).Count);
    }

    [Fact]
    public async Task A_letter_whose_message_was_cut_is_counted_kept_and_not_replayed_with_the_reason()
    {
        Kcat.SkipUnlessInstalled();
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", 1, ct);
        var huge = new byte[200_000];
        Array.Fill(huge, (byte)'x');
        "{\"order_id\":\"huge\",\"note\":\""u8.CopyTo(huge);
        await Kcat.ProduceAsync(harness.Broker.BootstrapServers, "orders", 0, "huge", huge, ct);
        await KcatPoisonMessageTests.SyncAsync(harness, "store-replay", harness.Options("orders", "store-cut"), ct);
        var letter = Assert.Single(await ListAsync(harness, ct));
        Assert.Contains("200,000 bytes", letter.Letter.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"{StoredMessage.CutLine}: the message is 200,000 bytes; the letter keeps the first 65,536", letter.Letter.OriginalRecord, StringComparison.Ordinal);

        var replay = await ReplayAsync(harness, [letter], harness.Options("orders", "store-cut"), dryRun: false, ct);

        var fate = Assert.Single(replay.Letters);
        Assert.Equal(LetterFate.NotReplayable, fate.Fate);
        Assert.Contains("larger than the letter keeps", Assert.Single(fate.Why), StringComparison.Ordinal);
        Assert.Null((await ListAsync(harness, ct)).Single().ResolvedAt);
        Assert.Empty(harness.StoredRows());
    }

    private static Task<ReplayResult> ReplayAsync(KafkaSyncHarness harness, IReadOnlyList<StoredDeadLetter> letters, KafkaSourceOptions options, bool dryRun, CancellationToken ct) =>
        new DeadLetterReplay(harness.Sender, harness.DeadLetters, harness.Checkpoints, null, TimeProvider.System)
            .RunAsync("store-replay", KafkaSyncHarness.Dataset, [.. letters.Where(l => l.ResolvedAt is null)], new KafkaRecordReplayer(options), "no replayer", dryRun, ct);

    private static async Task<List<StoredDeadLetter>> ListAsync(KafkaSyncHarness harness, CancellationToken ct)
    {
        var letters = new List<StoredDeadLetter>();
        await foreach (var letter in harness.DeadLetters.ListAsync("store-replay", ct))
        {
            letters.Add(letter);
        }

        return letters;
    }
}
