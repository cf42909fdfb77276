using System.Globalization;
using System.Runtime.CompilerServices;
using Affinsy.Connectors.Kafka.Consuming;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// One replay of the dead-letter topic. It assigns itself every partition of the topic (no group join, so no rebalance
/// wait) from the replay group's committed offsets (the topic's start when none) to the high watermarks taken when it
/// starts, so what arrives meanwhile (including what it sends back) waits for the next replay. Each message is
/// re-read as the message at its original position (the <c>affinsy.*</c> headers) through the pipeline's current
/// format; what still fails goes back to the topic with its new reason (at the end, with its original position
/// headers), what does not match <c>--reason</c> goes back unchanged, and the offsets past a batch are committed once
/// Affinsy acknowledged it, so a dead letter is replayed once; a second copy of one (the same original position,
/// produced again after a crash) is skipped, in this replay and, through the ids recorded in the state store
/// (<see cref="IReplayedLetters"/>, written before the commit), in every later one. A dry run produces, records and
/// commits nothing.
/// </summary>
internal sealed class TopicReplay : IQueuedLetterReplay
{
    private const int BatchMessages = 500;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly KafkaSourceOptions options;
    private readonly SourceContext context;
    private readonly string? reason;
    private readonly bool dryRun;
    private readonly IReplayedLetters? replayed;
    private readonly string topic;
    private readonly ILogger logger;
    private readonly Lock sync = new();

    /// <summary>The identities read in this replay: a dead letter's copies all carry one (see <see cref="DeadLetterHeaders.Id"/>).</summary>
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    /// <summary>The ids of the letters each batch handed over decoded, by batch number, until it is acknowledged.</summary>
    private readonly Dictionary<int, List<string>> pending = [];
    private int batches;
    private IConsumer<byte[]?, byte[]?>? consumer;
    private DeadLetterRoute? route;

    public TopicReplay(KafkaSourceOptions options, SourceContext context, string? reason, bool dryRun, IReplayedLetters? replayed)
    {
        this.options = options;
        this.context = context;
        this.reason = reason;
        this.dryRun = dryRun;
        this.replayed = replayed;
        topic = options.DeadLetterTopic ?? throw new InvalidOperationException("the source has no dead_letter_topic");
        logger = context.LoggerFactory.CreateLogger<TopicReplay>();
    }

    public QueuedReplayCounts Counts { get; } = new();

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Consume blocks; the pipeline's reader must not hold its caller's thread.
        await Task.Yield();
        var config = KafkaClients.ConsumerConfig(options with { GroupId = options.GroupId + DeadLetterTopicQueue.GroupSuffix });
        config.ConsumeResultFields = "all";
        config.EnablePartitionEof = false;
        consumer = KafkaClients.Build(options, context.Pipeline, () => new ConsumerBuilder<byte[]?, byte[]?>(config).Build());
        Dictionary<TopicPartition, long> remaining;
        try
        {
            remaining = Assign(consumer);
        }
        catch (KafkaException e)
        {
            throw new InvalidOperationException(
                $"Pipeline {context.Pipeline}: could not read dead-letter topic {topic} ({e.Error.Reason}); check that the brokers of "
                + $"bootstrap_servers answer and that the principal may describe and read the topic and use group {options.GroupId}{DeadLetterTopicQueue.GroupSuffix}.", e);
        }

        route = dryRun ? null : DeadLetterRoute.Open(options, context.Pipeline, logger, cancellationToken);
        var format = KafkaFormats.Create(options);
        while (remaining.Count > 0)
        {
            var batch = new ReplayBatch(this, ++batches);
            while (remaining.Count > 0 && batch.Messages < BatchMessages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message is not null)
                {
                    batch.Next[result.TopicPartition] = result.Offset.Value + 1;
                    await TakeAsync(result, format, batch, cancellationToken);
                }

                Reached(consumer, remaining, batch.Next);
            }

            format.FlushAll(batch);
            lock (sync)
            {
                pending[batch.Number] = batch.Ids;
            }

            yield return batch.ToOrderBatch();
        }
    }

    public async ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var (number, decoded, offsets) = ReplayBatch.Parse(topic, checkpoint);
        List<string>? ids;
        lock (sync)
        {
            pending.Remove(number, out ids);
        }

        // Recorded before the commit: a crash between the two leaves the letters read again and skipped, never sent twice.
        if (!dryRun && replayed is not null && ids is { Count: > 0 })
        {
            await replayed.RecordReplayedAsync(context.Pipeline, ids, context.TimeProvider.GetUtcNow(), cancellationToken);
        }

        if (!dryRun && consumer is not null && offsets.Count > 0)
        {
            consumer.Commit(offsets);
        }

        lock (sync)
        {
            Counts.Acknowledged += decoded;
        }
    }

    public ValueTask DisposeAsync()
    {
        route?.Dispose();
        if (consumer is not null)
        {
            consumer.Close();
            consumer.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Assigns every partition of the topic from its committed offset; returns where each must stop.</summary>
    private Dictionary<TopicPartition, long> Assign(IConsumer<byte[]?, byte[]?> client)
    {
        using var admin = new DependentAdminClientBuilder(client.Handle).Build();
        var metadata = admin.GetMetadata(topic, Timeout);
        var partitions = metadata.Topics.Where(t => t.Topic == topic && !t.Error.IsError)
            .SelectMany(t => t.Partitions).Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        if (partitions.Count == 0)
        {
            logger.LogInformation("Pipeline {Pipeline}: dead-letter topic {Topic} does not exist: nothing to replay.", context.Pipeline, topic);
            return [];
        }

        var committed = client.Committed(partitions, Timeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        var remaining = new Dictionary<TopicPartition, long>();
        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var marks = client.QueryWatermarkOffsets(partition, Timeout);
            var start = committed.TryGetValue(partition, out var offset) && offset != Offset.Unset ? Math.Max(offset.Value, marks.Low.Value) : marks.Low.Value;
            if (start < marks.High.Value)
            {
                remaining[partition] = marks.High.Value;
                assignment.Add(new TopicPartitionOffset(partition, start));
            }
        }

        client.Assign(assignment);
        return remaining;
    }

    /// <summary>Drops the partitions whose position reached the end taken at the start.</summary>
    private static void Reached(IConsumer<byte[]?, byte[]?> client, Dictionary<TopicPartition, long> remaining, Dictionary<TopicPartition, long> next)
    {
        foreach (var (partition, end) in remaining.ToList())
        {
            var position = next.TryGetValue(partition, out var n) ? n : client.Position(partition).Value;
            if (position >= end)
            {
                remaining.Remove(partition);
            }
        }
    }

    private async Task TakeAsync(ConsumeResult<byte[]?, byte[]?> result, IMessageFormat format, ReplayBatch batch, CancellationToken cancellationToken)
    {
        var message = result.Message;
        batch.Messages++;
        Counts.Read++;
        if (DeadLetterHeaders.Read(message.Headers) is not { } origin)
        {
            QueuedReplayCounts.Add(Counts.NotReplayable, "not a dead letter written by Affinsy Connect (no affinsy.topic, affinsy.partition and affinsy.offset headers); left on the topic");
            return;
        }

        // One round trip per letter to the state store: letters are few, and a batch must not wait for a whole read.
        var id = DeadLetterHeaders.IdOf(context.Pipeline, $"{origin.Partition.Topic}/{origin.Partition.Partition.Value}@{origin.Offset}");
        if (!seen.Add(id) || (replayed is not null && (await replayed.WhichReplayedAsync(context.Pipeline, [id], cancellationToken)).Count > 0))
        {
            Counts.Duplicates++;
            return;
        }

        if (origin.Truncated)
        {
            QueuedReplayCounts.Add(Counts.NotReplayable, $"cut to its first {KafkaRecord.DeadLetterValueBytes:N0} bytes when dead-lettered (affinsy.truncated); left on the topic: publish the whole message to the source topic again");
            return;
        }

        if (reason is not null && !origin.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase))
        {
            Counts.Kept++;
            route?.Requeue(result.TopicPartition, message);
            return;
        }

        var record = new KafkaRecord(origin.Partition, origin.Offset, origin.Timestamp, message.Key, message.Value, null);
        var problems = batch.Problems;
        format.Accept(record, batch);
        if (batch.Problems == problems)
        {
            batch.Decoded++;
            batch.Ids.Add(id);
            Counts.Decoded++;
        }
    }

    /// <summary>What one batch of the replay collects: the format's output, and the offsets past it.</summary>
    private sealed class ReplayBatch(TopicReplay replay, int number) : IFormatOutput
    {
        private readonly List<OrderDraft> drafts = [];
        private readonly List<Refusal> refusals = [];
        private SkipCounts? skipped;

        public int Number => number;

        /// <summary>The ids of the letters decoded into this batch: recorded as replayed once it is acknowledged.</summary>
        public List<string> Ids { get; } = [];

        public int Messages { get; set; }

        public int Decoded { get; set; }

        public int Problems { get; private set; }

        public Dictionary<TopicPartition, long> Next { get; } = [];

        public void Draft(OrderDraft draft) => drafts.Add(draft);

        public void Problem(string reason, KafkaRecord record, string? orderId)
        {
            Problems++;
            QueuedReplayCounts.Add(replay.Counts.StillFailing, reason);
            refusals.Add(replay.route is { } route
                ? route.Refuse(reason, record, orderId)
                : new Refusal(reason, record.Position, record.StoredText, orderId) { DeliveredTo = "Kafka topic " + replay.topic });
        }

        public void Skipped(SkipReason reason) => (skipped ??= new SkipCounts()).Add(reason);

        public OrderBatch ToOrderBatch()
        {
            var text = string.Join(';', [number.ToString(CultureInfo.InvariantCulture), Decoded.ToString(CultureInfo.InvariantCulture), .. Next.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key.Partition.Value}={n.Value}"))]);
            return new OrderBatch(drafts, refusals, new Checkpoint(text)) { Skipped = skipped };
        }

        /// <summary>Reads <see cref="ToOrderBatch"/>'s checkpoint: the batch number, letters decoded, then <c>partition=next offset</c>.</summary>
        public static (int Number, int Decoded, List<TopicPartitionOffset> Offsets) Parse(string topic, Checkpoint checkpoint)
        {
            var parts = checkpoint.Value.Split(';');
            var offsets = parts.Skip(2).Select(p => p.Split('='))
                .Select(p => new TopicPartitionOffset(topic, int.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture)))
                .ToList();
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), offsets);
        }
    }
}
