using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// One consumer, on its own thread (every call to the consumer happens here, rebalance callbacks included).
/// Each loop: store the offsets the pipeline acknowledged, commit them on the interval, pause or resume for
/// back-pressure, consume one message, release idle orders, and emit a batch when one is full or the topic is quiet.
/// </summary>
internal sealed class ConsumerLoop : IFormatOutput
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly KafkaSourceOptions options;
    private readonly SourceContext context;
    private readonly AcknowledgementLedger ledger;
    private readonly ChannelWriter<OrderBatch> writer;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly IMessageFormat format;
    private readonly Action<IReadOnlyList<KafkaPartitionLag>>? lagMeasured;
    private readonly Dictionary<TopicPartition, PartitionState> partitions = [];
    private readonly Queue<EmittedBatch> emitted = new();
    private readonly List<OrderDraft> ready = [];
    private readonly List<Refusal> refusals = [];
    private SkipCounts? skipped;
    private readonly List<TopicPartition> toPause = [];
    private IConsumer<byte[]?, byte[]?> consumer = null!;
    private DeadLetterTopic? deadLetters;
    private Dictionary<TopicPartition, long>? ends;
    private CancellationToken token;
    private long seq = -1;
    private long consumed;
    private long consumedAtLastEmit;
    private long ackedCovered;
    private long lastEmit;
    private long lastCommit;
    private long lastLag;
    private bool storedSinceCommit;
    private bool paused;
    private long? holdingSince;
    private bool assignedOnce;
    private bool closing;

    public ConsumerLoop(KafkaSourceOptions options, SourceContext context, AcknowledgementLedger ledger, ChannelWriter<OrderBatch> writer, ILogger logger, Action<IReadOnlyList<KafkaPartitionLag>>? lagMeasured = null)
    {
        this.lagMeasured = lagMeasured;
        this.options = options;
        this.context = context;
        this.ledger = ledger;
        this.writer = writer;
        this.logger = logger;
        time = context.TimeProvider;
        format = KafkaFormats.Create(options);
    }

    public void Run(CancellationToken cancellationToken)
    {
        token = cancellationToken;
        Exception? failure = null;
        try
        {
            consumer = Build(() => new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig())
                .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
                .SetPartitionsRevokedHandler((_, revoked) => OnRevoked([.. revoked.Select(p => p.TopicPartition)]))
                .SetPartitionsLostHandler((_, lost) => OnLost([.. lost.Select(p => p.TopicPartition)]))
                .SetErrorHandler((_, e) => logger.LogWarning("Pipeline {Pipeline}: Kafka: {Reason} ({Code})", context.Pipeline, e.Reason, e.Code))
                .SetLogHandler((_, m) => logger.LogDebug("Pipeline {Pipeline}: librdkafka {Facility}: {Message}", context.Pipeline, m.Facility, m.Message))
                .Build());
            if (options.DeadLetterTopic is not null)
            {
                var producer = Build(() => new ProducerBuilder<byte[]?, byte[]?>(DeadLetterTopic.ProducerConfig(options)).Build());
                deadLetters = new DeadLetterTopic(producer, options.DeadLetterTopic, options.DeadLetterMaxMessageBytes, context.Pipeline, logger);
            }

            if (!options.Stream)
            {
                ends = EndOffsetsAtStart();
            }

            if (options.TopicPattern is not null)
            {
                consumer.Subscribe("^" + options.TopicPattern.TrimStart('^'));
            }
            else
            {
                consumer.Subscribe(options.Topics);
            }

            lastEmit = lastCommit = lastLag = time.GetTimestamp();
            while (!token.IsCancellationRequested)
            {
                PollOnce();
                if (ends is not null && AtEndOfSync())
                {
                    MeasureLag();
                    format.FlushAll(this);
                    Emit();
                    WaitForFinalAcknowledgements();
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            Shutdown();
            writer.TryComplete(failure);
        }
    }

    /// <summary>
    /// Versions of one order stay in partition order and are all sent: Affinsy upserts rows by (order, product) and
    /// never deletes one, so collapsing them here would change what lands depending on where batches split.
    /// </summary>
    public void Draft(OrderDraft draft) => ready.Add(draft);

    public void Skipped(SkipReason reason) => (skipped ??= new SkipCounts()).Add(reason);

    /// <summary>
    /// A dead letter on the topic is still a refusal of the batch (without its record, which is on the topic), so the
    /// pipeline counts it where it counts every other dead letter: run summary, run history, status, the metric.
    /// </summary>
    public void Problem(string reason, KafkaRecord record, string? orderId)
    {
        if (deadLetters is not null && deadLetters.TryProduce(reason, record, token))
        {
            refusals.Add(new Refusal(reason, record.Position, string.Empty, orderId) { DeliveredTo = "Kafka topic " + deadLetters.Topic });
            return;
        }

        refusals.Add(new Refusal(reason + record.OversizeNote, record.Position, record.ValueText, orderId));
    }

    private void PollOnce()
    {
        StoreAcknowledged();
        if (time.GetElapsedTime(lastCommit) >= options.CommitInterval)
        {
            CommitStored();
        }

        if (lagMeasured is not null && time.GetElapsedTime(lastLag) >= options.LagInterval)
        {
            MeasureLag();
        }

        if (ApplyBackPressure())
        {
            // Holding: what is ready goes to the pipeline (it is what will be acknowledged), then an acknowledgement
            // is awaited instead of the next message.
            format.FlushIdle(time.GetUtcNow(), this);
            if (ready.Count > 0 || refusals.Count > 0 || consumed != consumedAtLastEmit)
            {
                Emit();
            }

            ledger.WaitFor(ledger.Acknowledged + 1, PollTimeout, token);
            return;
        }

        var result = consumer.Consume(PollTimeout);
        if (result is not null)
        {
            Handle(result);
        }

        format.FlushIdle(time.GetUtcNow(), this);
        var waiting = ready.Count > 0 || refusals.Count > 0 || consumed != consumedAtLastEmit;
        if (ready.Count >= options.BatchMaxOrders || (waiting && (result is null || time.GetElapsedTime(lastEmit) >= options.BatchLinger)))
        {
            Emit();
        }
    }

    private void Handle(ConsumeResult<byte[]?, byte[]?> result)
    {
        if (!partitions.TryGetValue(result.TopicPartition, out var state) || !state.Assigned)
        {
            return;
        }

        if (result.IsPartitionEOF)
        {
            state.AtEnd = true;
            state.Next = Math.Max(state.Next, result.Offset.Value);
            return;
        }

        state.AtEnd = false;
        state.Next = result.Offset.Value + 1;
        consumed++;
        var message = result.Message;
        var record = new KafkaRecord(result.TopicPartition, result.Offset.Value, message.Timestamp.UtcDateTime, message.Key, message.Value, message.Headers);
        if (message.Value is { } value && MessageEncoding.Problem(value) is { } notUtf8)
        {
            Problem(notUtf8, record, null);
            return;
        }

        format.Accept(record, this);
    }

    /// <summary>Hands the ready orders to the pipeline with the offsets that become safe once they are acknowledged.</summary>
    private void Emit()
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var safe = new List<(TopicPartition Partition, int Epoch, long Offset)>();
        foreach (var (partition, state) in partitions)
        {
            if (!state.Assigned || state.Next < 0)
            {
                continue;
            }

            var offset = Math.Min(state.Next, format.LowestHeldOffset(partition) ?? state.Next);
            safe.Add((partition, state.Epoch, offset));
            offsets[$"{partition.Topic}/{partition.Partition.Value}"] = offset;
        }

        seq++;
        emitted.Enqueue(new EmittedBatch(seq, consumed, safe));
        var checkpoint = new KafkaCheckpoint(ledger.Run, seq, offsets).ToCheckpoint();
        writer.TryWrite(new OrderBatch([.. ready], [.. refusals], checkpoint) { Skipped = skipped });
        ready.Clear();
        refusals.Clear();
        skipped = null;
        consumedAtLastEmit = consumed;
        lastEmit = time.GetTimestamp();
    }

    /// <summary>Stores (for the next commit) the offsets of every batch the pipeline acknowledged so far.</summary>
    private void StoreAcknowledged()
    {
        var acknowledged = ledger.Acknowledged;
        while (emitted.TryPeek(out var batch) && batch.Seq <= acknowledged)
        {
            emitted.Dequeue();
            ackedCovered = batch.Consumed;
            foreach (var (partition, epoch, offset) in batch.Offsets)
            {
                // Only for the assignment the batch was read under: after a revoke the next owner's offsets rule.
                if (partitions.TryGetValue(partition, out var state) && state.Assigned && state.Epoch == epoch && offset > state.Stored)
                {
                    try
                    {
                        consumer.StoreOffset(new TopicPartitionOffset(partition, offset));
                        state.Stored = offset;
                        storedSinceCommit = true;
                    }
                    catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
                    {
                        // No longer ours after all: its next owner reads from the last commit.
                    }
                }
            }
        }
    }

    private void CommitStored()
    {
        lastCommit = time.GetTimestamp();
        if (!storedSinceCommit)
        {
            return;
        }

        try
        {
            consumer.Commit();
            storedSinceCommit = false;
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            storedSinceCommit = false;
        }
        catch (KafkaException e)
        {
            // Kept stored: the next commit carries it.
            logger.LogWarning("Pipeline {Pipeline}: committing offsets failed ({Reason}); will retry.", context.Pipeline, e.Error.Reason);
        }
    }

    /// <summary>
    /// Lag per owned partition from what the client already knows (the high watermark of the last fetch response and
    /// the consume position): no request to the broker, so it can run every few seconds at no cost. Partitions not
    /// fetched yet are left out rather than guessed.
    /// </summary>
    internal void MeasureLag()
    {
        lastLag = time.GetTimestamp();
        if (lagMeasured is null)
        {
            return;
        }

        var lags = new List<KafkaPartitionLag>(partitions.Count);
        foreach (var (partition, state) in partitions)
        {
            if (!state.Assigned)
            {
                continue;
            }

            try
            {
                var high = consumer.GetWatermarkOffsets(partition).High;
                var position = state.Next >= 0 ? state.Next : consumer.Position(partition).Value;
                if (high.Value >= 0 && position >= 0)
                {
                    lags.Add(new KafkaPartitionLag(partition.Topic, partition.Partition.Value, Math.Max(0, high.Value - position)));
                }
            }
            catch (KafkaException)
            {
                // Not known right now (mid-rebalance): the next measurement has it.
            }
        }

        lagMeasured(lags);
    }

    /// <summary>
    /// Over <see cref="KafkaSourceOptions.MaxUnacknowledged"/> the consumer first holds: it stops taking messages and
    /// waits for acknowledgements, leaving librdkafka's prefetch (itself bounded by <c>queued.max.messages.kbytes</c>)
    /// in place, so a sink that catches up within <see cref="KafkaSourceOptions.HoldBeforePause"/> costs no refetch.
    /// A longer stall (a throttled API, an outage) pauses the partitions, which also stops fetching and drops the
    /// prefetch, and resumes them at half the limit. Returns true while holding.
    /// </summary>
    private bool ApplyBackPressure()
    {
        var outstanding = consumed - ackedCovered;
        if (!paused && outstanding > options.MaxUnacknowledged)
        {
            holdingSince ??= time.GetTimestamp();
            if (time.GetElapsedTime(holdingSince.Value) < options.HoldBeforePause)
            {
                return true;
            }

            holdingSince = null;
            consumer.Pause(consumer.Assignment);
            paused = true;
            toPause.Clear();
            logger.LogDebug("Pipeline {Pipeline}: paused, {Outstanding} messages not yet acknowledged.", context.Pipeline, outstanding);
        }
        else if (!paused)
        {
            holdingSince = null;
        }
        else if (outstanding <= options.MaxUnacknowledged / 2)
        {
            consumer.Resume(consumer.Assignment);
            paused = false;
            toPause.Clear();
        }
        else if (toPause.Count > 0)
        {
            consumer.Pause(toPause);
            toPause.Clear();
        }

        return false;
    }

    private void OnAssigned(List<TopicPartition> assigned)
    {
        assignedOnce = true;
        foreach (var partition in assigned)
        {
            if (!partitions.TryGetValue(partition, out var state))
            {
                state = new PartitionState();
                partitions.Add(partition, state);
            }

            state.Epoch++;
            state.Assigned = true;
            state.Next = -1;
            state.Stored = -1;
            state.AtEnd = false;
        }

        if (paused)
        {
            toPause.AddRange(assigned);
        }

        logger.LogInformation("Pipeline {Pipeline}: assigned {Partitions}.", context.Pipeline, string.Join(", ", assigned));
    }

    /// <summary>
    /// Before letting go: hand over what is ready, give the pipeline a bounded time to acknowledge what is in
    /// flight, commit what is acknowledged, and forget the rest (the next owner reads it again).
    /// </summary>
    private void OnRevoked(List<TopicPartition> revoked)
    {
        if (!closing)
        {
            Emit();
            if (!ledger.WaitFor(seq, options.RevokeWait, token))
            {
                logger.LogWarning("Pipeline {Pipeline}: partitions revoked before every order in flight was acknowledged; the next owner re-reads those.", context.Pipeline);
            }
        }

        StoreAcknowledged();
        CommitStored();
        Forget(revoked);
        logger.LogInformation("Pipeline {Pipeline}: revoked {Partitions}.", context.Pipeline, string.Join(", ", revoked));
    }

    private void OnLost(List<TopicPartition> lost)
    {
        Forget(lost);
        logger.LogWarning("Pipeline {Pipeline}: lost {Partitions} without a clean hand-over; their uncommitted messages are read again.", context.Pipeline, string.Join(", ", lost));
    }

    private void Forget(List<TopicPartition> gone)
    {
        format.Drop(gone);
        foreach (var partition in gone)
        {
            if (partitions.TryGetValue(partition, out var state))
            {
                state.Assigned = false;
            }
        }
    }

    private bool AtEndOfSync()
    {
        if (!assignedOnce)
        {
            return false;
        }

        foreach (var (partition, state) in partitions)
        {
            // Partitions created after the start are not part of this sync.
            if (state.Assigned && ends!.TryGetValue(partition, out var end) && !state.AtEnd && state.Next < end)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A batch sync stops reading, then keeps the group membership until its last batch is acknowledged.</summary>
    private void WaitForFinalAcknowledgements()
    {
        consumer.Pause(consumer.Assignment);
        paused = true;
        var started = time.GetTimestamp();
        while (ledger.Acknowledged < seq && !token.IsCancellationRequested && time.GetElapsedTime(started) < options.FinalAcknowledgementWait)
        {
            StoreAcknowledged();
            _ = consumer.Consume(PollTimeout); // serves heartbeats and rebalances; nothing read now is stored
        }
    }

    private void Shutdown()
    {
        closing = true;
        if (consumer is null)
        {
            deadLetters?.Dispose();
            return;
        }

        try
        {
            AwaitLastAcknowledgements();
            StoreAcknowledged();
            CommitStored();
            consumer.Close();
        }
        catch (KafkaException e)
        {
            logger.LogWarning("Pipeline {Pipeline}: closing the consumer: {Reason}", context.Pipeline, e.Error.Reason);
        }
        finally
        {
            consumer.Dispose();
            deadLetters?.Dispose();
        }
    }

    /// <summary>
    /// When stopped, the pipeline may still be saving the checkpoints of requests that just completed: take those
    /// (while they keep coming, up to <see cref="KafkaSourceOptions.ShutdownGrace"/>) so a restart re-reads less.
    /// </summary>
    private void AwaitLastAcknowledgements()
    {
        var started = time.GetTimestamp();
        var seen = ledger.Acknowledged;
        while (seen < seq && time.GetElapsedTime(started) < options.ShutdownGrace)
        {
            _ = ledger.WaitFor(seq, TimeSpan.FromMilliseconds(250), CancellationToken.None);
            if (ledger.Acknowledged == seen)
            {
                break;
            }

            seen = ledger.Acknowledged;
        }
    }

    private Dictionary<TopicPartition, long> EndOffsetsAtStart()
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        var pattern = options.TopicPattern is null ? null : new Regex("^" + options.TopicPattern.TrimStart('^'), RegexOptions.None, TimeSpan.FromSeconds(1));
        var result = new Dictionary<TopicPartition, long>();
        foreach (var topic in metadata.Topics)
        {
            if (pattern is null ? !options.Topics.Contains(topic.Topic) : !pattern.IsMatch(topic.Topic))
            {
                continue;
            }

            foreach (var partition in topic.Partitions)
            {
                var tp = new TopicPartition(topic.Topic, partition.PartitionId);
                result[tp] = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).High.Value;
            }
        }

        return result;
    }

    private ConsumerConfig ConsumerConfig()
    {
        var config = new ConsumerConfig();
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        config.GroupId = options.GroupId;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        config.AutoOffsetReset = options.StartFrom == "latest" ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
        config.EnablePartitionEof = true;
        config.IsolationLevel = IsolationLevel.ReadCommitted;

        // Headers are not read (a dead letter carries our own error headers), so the client need not marshal them
        // for every message; the topic (partition identity) and timestamp (dead-letter header) are.
        config.ConsumeResultFields = "topic,timestamp";
        return config;
    }

    /// <summary>Builds a client; a refused setting is reported without its value (values may be secrets).</summary>
    private T Build<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            var message = e.Message;
            foreach (var value in options.Properties.Values)
            {
                if (value.Length > 0)
                {
                    message = message.Replace(value, "***", StringComparison.Ordinal);
                }
            }

            throw new InvalidOperationException(
                $"Pipeline {context.Pipeline}: the Kafka client refused its settings: {message}. Check 'properties' in connectors.yaml.", e);
        }
    }

    private sealed class PartitionState
    {
        public int Epoch { get; set; }

        public bool Assigned { get; set; }

        /// <summary>The offset after the last message consumed in this assignment; -1 before the first.</summary>
        public long Next { get; set; } = -1;

        public long Stored { get; set; } = -1;

        public bool AtEnd { get; set; }
    }

    private sealed record EmittedBatch(long Seq, long Consumed, List<(TopicPartition Partition, int Epoch, long Offset)> Offsets);
}
