using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using CsCheck;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// Random corruptions of valid messages in every Kafka format (issue 15): decoding never throws; each message gives
/// exactly one answer (an order, a problem with its reason, or a skip; for <c>line_item</c>, a problem or a held
/// line); every order no corruption touched comes out exactly as it was produced; no position is refused twice.
/// Then the same cases through librdkafka's mock cluster and the reference server: the sync completes, the untouched
/// orders are stored exactly, each refusal is one dead letter, and the offsets move past everything.
/// Cases come from a fixed seed per index, so a failure names the index that replays it.
/// </summary>
public sealed class CorruptedMessageTests
{
    private const ulong Seed = 0x15_4AF_CA;

    public static TheoryData<string> Formats => [KafkaFormats.Affinsy, KafkaFormats.LineItem, "shopify", "woocommerce"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Corrupted_messages_never_stop_decoding_and_every_untouched_order_comes_out_exactly(string format) => Run(format, 400);

    // Long runs only when asked: dotnet test --filter Category=Fuzz -- xUnit.Explicit=only
    [Theory(Explicit = true)]
    [Trait("Category", "Fuzz")]
    [MemberData(nameof(Formats))]
    public void Many_more_corrupted_messages_keep_the_invariant(string format) => Run(format, 20_000);

    [Theory]
    [InlineData(KafkaFormats.Affinsy)]
    [InlineData(KafkaFormats.LineItem)]
    public async Task Corrupted_messages_on_a_broker_are_dead_lettered_once_and_the_untouched_orders_land_exactly(string format)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await KafkaSyncHarness.StartAsync(ct);
        await harness.Broker.CreateTopicAsync("orders", CorruptedMessages.Partitions, ct);
        var cases = Enumerable.Range(0, 60).Select(i => CorruptedMessages.For(format).Generate(new PCG(15, Seed + (ulong)i), null!, out _))
            .Where(c => c.Corruptions.Count > 0).Take(4).ToList();
        var expected = new List<string>();
        var refused = 0;
        var orderIds = new HashSet<string>(StringComparer.Ordinal);
        using (var producer = new Confluent.Kafka.ProducerBuilder<byte[]?, byte[]?>(new Confluent.Kafka.ProducerConfig { BootstrapServers = harness.Broker.BootstrapServers }).Build())
        {
            foreach (var (c, n) in cases.Select((c, n) => (c, n)))
            {
                // Each case gets its own order ids, so cases cannot touch each other's orders.
                var renamed = c with { Orders = [.. c.Orders.Select(o => o with { Id = $"{n}{o.Id}" })] };
                var (records, untouched) = renamed.Build();
                var answers = Decode(format, records);
                refused += answers.Problems.Count + answers.Refusals;
                foreach (var record in records)
                {
                    await producer.ProduceAsync(record.Partition, new Confluent.Kafka.Message<byte[]?, byte[]?> { Value = record.Value }, ct);
                }

                orderIds.UnionWith(renamed.Orders.Select(o => o.Id));
                expected.AddRange(untouched.Select(u => renamed.Orders[u])
                    .SelectMany(o => o.Items.Select(i => KafkaSyncHarness.Row(o.Id, i.Product, i.Price, i.Quantity, o.Customer))));
            }
        }

        var result = await harness.SyncAsync(harness.Options("orders", "corrupted", format), ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var stored = harness.StoredRows();
        Assert.Empty(expected.Except(stored, StringComparer.Ordinal));
        var letters = new List<Affinsy.Core.State.DeadLetter>();
        await foreach (var letter in harness.DeadLetters.ReadAsync("kafka", ct))
        {
            letters.Add(letter);
        }

        Assert.Equal(refused, letters.Count);
        Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.Reason) || string.IsNullOrWhiteSpace(l.Position)));
        Assert.Equal(letters.Count, letters.Select(l => l.Position).Distinct(StringComparer.Ordinal).Count());
        harness.AssertCommittedToEnd("corrupted", "orders");
    }

    private static void Run(string format, int cases)
    {
        var gen = CorruptedMessages.For(format);
        for (var i = 0; i < cases; i++)
        {
            var input = gen.Generate(new PCG(15, Seed + (ulong)i), null!, out _);
            try
            {
                Check(input);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"case {i} (seed {Seed} + {i}) failed: {e.Message}\n{input}", e);
            }
        }
    }

    private static void Check(CorruptedMessages input)
    {
        var (records, untouched) = input.Build();
        var answers = Decode(input.Format, records);

        foreach (var o in untouched)
        {
            var order = input.Orders[o];
            var decoded = Assert.Single(answers.Orders, x => x.OrderId == order.Id);
            Assert.Equal(
                order.Items.Select(i => Line(i.Product, i.Price, i.Quantity)).Order(StringComparer.Ordinal),
                decoded.LineItems.Select(l => Line(l.ProductName, l.UnitPrice, l.Quantity)).Order(StringComparer.Ordinal));
            if (input.Format is KafkaFormats.Affinsy or KafkaFormats.LineItem)
            {
                Assert.Equal(order.Customer, decoded.CustomerId);
            }
        }

        Assert.All(answers.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
        var positions = answers.Problems.Select(p => p.Position).ToList();
        Assert.Equal(positions.Count, positions.Distinct(StringComparer.Ordinal).Count());
        if (input.Format != KafkaFormats.LineItem)
        {
            // One answer per message: an order (sent or refused by normalization), a problem or a skip.
            Assert.Equal(records.Count, answers.Orders.Count + answers.Refusals + answers.Problems.Count + answers.Skips);
        }
    }

    /// <summary>A line as text, amounts compared by value (11 and 11.00 are one price).</summary>
    private static string Line(string product, decimal price, decimal quantity) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{product}|{price:0.############}|{quantity:0.############}");

    /// <summary>
    /// Every record through a fresh instance of the format, made the way the consumer and the dead-letter replay make
    /// it (<see cref="KafkaFormats.Create"/>), then everything held released, as a batch sync ends.
    /// </summary>
    private static Answers Decode(string format, List<KafkaRecord> records)
    {
        var decoder = KafkaFormats.Create(new KafkaSourceOptions
        {
            BootstrapServers = "unused",
            GroupId = "unused",
            Format = format,
            Decoder = KafkaSyncHarness.RegisteredDecoder(format),
            OrderIdle = TimeSpan.FromMinutes(5),
        });
        var answers = new Answers();
        foreach (var record in records)
        {
            decoder.Accept(record, answers);
        }

        decoder.FlushAll(answers);
        return answers;
    }

    private sealed class Answers : IFormatOutput
    {
        public List<Order> Orders { get; } = [];

        public int Refusals { get; private set; }

        public List<(string Reason, string Position)> Problems { get; } = [];

        public int Skips { get; private set; }

        public void Draft(OrderDraft draft)
        {
            var result = OrderNormalizer.Normalize(draft);
            if (result.Order is { } order)
            {
                Orders.Add(order);
            }
            else if (result.Skipped is not null)
            {
                Skips++;
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(result.RefusalReason));
                Refusals++;
            }
        }

        public void Problem(string reason, KafkaRecord record, string? orderId) => Problems.Add((reason, record.Position));

        public void Skipped(SkipReason reason) => Skips++;
    }
}
