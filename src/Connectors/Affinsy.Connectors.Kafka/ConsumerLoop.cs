using System.Threading.Channels;
using Affinsy.Connectors.Kafka.Consuming;
using Affinsy.Connectors.Kafka.DeadLetters;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// One consumer, on its own thread. Shaped like confluent-kafka-dotnet's consumer example
/// (<c>examples/Consumer/Program.cs</c>, <c>Run_Consume</c>: build the consumer with assignment, revocation and loss
/// handlers, subscribe, loop on <c>Consume</c> until cancelled, then <c>Close</c>), with the example's one
/// <c>StoreOffset</c> per message replaced by what at-least-once into Affinsy needs. Each turn of the loop: store and
/// commit what the pipeline acknowledged (<see cref="OffsetCommitter"/>), measure lag on its interval
/// (<see cref="LagMeter"/>), apply back-pressure (<see cref="BackPressure"/>), consume one message into the
/// <see cref="PendingBatch"/> (problems go through the <see cref="DeadLetterRoute"/>), and hand the batch over when
/// it is full or the topic is quiet.
/// Threading, the one rule for this type and every part above: all of it runs on the consumer thread (librdkafka
/// calls the rebalance handlers from inside <c>Consume</c>, on that thread too). The only state another thread
/// touches is the <see cref="AcknowledgementLedger"/>, which is thread-safe.
/// </summary>
internal sealed class ConsumerLoop : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly KafkaSourceOptions options;
    private readonly string pipeline;
    private readonly AcknowledgementLedger ledger;
    private readonly ChannelWriter<OrderBatch> writer;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly CancellationToken token;
    private readonly IMessageFormat format;
    private readonly IConsumer<byte[]?, byte[]?> consumer;
    private readonly DeadLetterRoute deadLetters;
    private readonly OwnedPartitions partitions = new();
    private readonly PendingBatch batch;
    private readonly OffsetCommitter committer;
    private readonly BackPressure backPressure;
    private readonly LagMeter lag;
    private long lastEmit;

    /// <summary>A batch sync's end offsets, taken when it starts; null for a stream.</summary>
    private Dictionary<TopicPartition, long>? ends;
    private bool closing;

    private ConsumerLoop(
        KafkaSourceOptions options, SourceContext context, AcknowledgementLedger ledger, ChannelWriter<OrderBatch> writer,
        ILogger logger, Action<IReadOnlyList<KafkaPartitionLag>>? lagMeasured, CancellationToken token)
    {
        this.options = options;
        this.ledger = ledger;
        this.writer = writer;
        this.logger = logger;
        this.token = token;
        pipeline = context.Pipeline;
        time = context.TimeProvider;
        format = KafkaFormats.Create(options);
        consumer = KafkaClients.Build(options, pipeline, () => new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.ConsumerConfig(options))
            .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked([.. revoked.Select(p => p.TopicPartition)]))
            .SetPartitionsLostHandler((_, lost) => OnLost([.. lost.Select(p => p.TopicPartition)]))
            .SetErrorHandler((_, e) => logger.LogWarning("Pipeline {Pipeline}: Kafka: {Reason} ({Code})", pipeline, e.Reason, e.Code))
            .SetLogHandler((_, m) => logger.LogDebug("Pipeline {Pipeline}: librdkafka {Facility}: {Message}", pipeline, m.Facility, m.Message))
            .Build());
        try
        {
            deadLetters = DeadLetterRoute.Open(options, pipeline, logger, token);
        }
        catch
        {
            consumer.Dispose();
            throw;
        }

        batch = new PendingBatch(deadLetters);
        committer = new OffsetCommitter(consumer, partitions, ledger, time, options.CommitInterval, logger, pipeline);
        backPressure = new BackPressure(consumer, options, time, logger, pipeline);
        lag = new LagMeter(consumer, partitions, time, options.LagInterval, lagMeasured);
    }

    /// <summary>
    /// Runs the consumer until the end of a batch sync or cancellation, writing batches to <paramref name="writer"/>
    /// and completing it (with the failure, if one stopped the loop). Call it on the consumer's own thread.
    /// </summary>
    public static void Run(
        KafkaSourceOptions options, SourceContext context, AcknowledgementLedger ledger, ChannelWriter<OrderBatch> writer,
        ILogger logger, Action<IReadOnlyList<KafkaPartitionLag>>? lagMeasured, CancellationToken token)
    {
        Exception? failure = null;
        ConsumerLoop? loop = null;
        try
        {
            loop = new ConsumerLoop(options, context, ledger, writer, logger, lagMeasured, token);
            loop.Consume();
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
            loop?.Dispose();
            writer.TryComplete(failure);
        }
    }

    /// <summary>
    /// Stops: takes the acknowledgements still arriving (up to <see cref="KafkaSourceOptions.ShutdownGrace"/>),
    /// commits them, leaves the group and closes the clients.
    /// </summary>
    public void Dispose()
    {
        closing = true;
        try
        {
            committer.AwaitLastAcknowledgements(options.ShutdownGrace);
            committer.StoreAcknowledged();
            committer.Commit();
            consumer.Close();
        }
        catch (KafkaException e)
        {
            logger.LogWarning("Pipeline {Pipeline}: closing the consumer: {Reason}", pipeline, e.Error.Reason);
        }
        finally
        {
            consumer.Dispose();
            deadLetters.Dispose();
        }
    }

    private void Consume()
    {
        ends = options.Stream ? null : KafkaClients.EndOffsetsAtStart(consumer, options);
        KafkaClients.Subscribe(consumer, options);
        lastEmit = time.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            PollOnce();
            if (ends is not null && partitions.ReachedEnds(ends))
            {
                lag.Measure();
                format.FlushAll(batch);
                Emit();
                WaitForFinalAcknowledgements();
                break;
            }
        }
    }

    private void PollOnce()
    {
        committer.StoreAcknowledged();
        committer.CommitIfDue();
        lag.MeasureIfDue();
        if (backPressure.Apply(batch.Consumed - committer.AcknowledgedConsumed))
        {
            // Holding: what is ready goes to the pipeline (it is what will be acknowledged), then an acknowledgement
            // is awaited instead of the next message.
            format.FlushIdle(time.GetUtcNow(), batch);
            if (batch.HasContent)
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

        format.FlushIdle(time.GetUtcNow(), batch);
        if (batch.Orders >= options.BatchMaxOrders || (batch.HasContent && (result is null || time.GetElapsedTime(lastEmit) >= options.BatchLinger)))
        {
            Emit();
        }
    }

    private void Handle(ConsumeResult<byte[]?, byte[]?> result)
    {
        if (partitions.Owned(result.TopicPartition) is not { } state)
        {
            return;
        }

        if (result.IsPartitionEOF)
        {
            state.ReachedEnd(result.Offset.Value);
            return;
        }

        state.Consumed(result.Offset.Value);
        batch.CountMessage();
        var message = result.Message;
        var record = new KafkaRecord(result.TopicPartition, result.Offset.Value, message.Timestamp.UtcDateTime, message.Key, message.Value, message.Headers);
        MessageEncoding.Decode(format, record, batch);
    }

    /// <summary>Hands the pending batch to the pipeline with the offsets that become safe once it is acknowledged.</summary>
    private void Emit()
    {
        var (safe, offsets) = partitions.SafeOffsets(format);
        var seq = committer.Track(batch.Consumed, safe);
        writer.TryWrite(batch.Take(new KafkaCheckpoint(ledger.Run, seq, offsets).ToCheckpoint(), Progress()));
        lastEmit = time.GetTimestamp();
    }

    /// <summary>
    /// A batch sync's progress for the ETA: messages consumed in this run against those plus what is left up to the end
    /// offsets taken at its start. A stream has no end, so no progress.
    /// </summary>
    private SourceProgress? Progress() =>
        ends is not null && partitions.RemainingTo(ends) is { } remaining && batch.Consumed + remaining > 0
            ? new SourceProgress(batch.Consumed, batch.Consumed + remaining)
            : null;

    private void OnAssigned(List<TopicPartition> assigned)
    {
        partitions.Assign(assigned);
        backPressure.Assigned(assigned);
        logger.LogInformation("Pipeline {Pipeline}: assigned {Partitions}.", pipeline, string.Join(", ", assigned));
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
            if (!ledger.WaitFor(committer.LastSeq, options.RevokeWait, token))
            {
                logger.LogWarning("Pipeline {Pipeline}: partitions revoked before every order in flight was acknowledged; the next owner re-reads those.", pipeline);
            }
        }

        committer.StoreAcknowledged();
        committer.Commit();
        Forget(revoked);
        logger.LogInformation("Pipeline {Pipeline}: revoked {Partitions}.", pipeline, string.Join(", ", revoked));
    }

    private void OnLost(List<TopicPartition> lost)
    {
        Forget(lost);
        logger.LogWarning("Pipeline {Pipeline}: lost {Partitions} without a clean hand-over; their uncommitted messages are read again.", pipeline, string.Join(", ", lost));
    }

    private void Forget(List<TopicPartition> gone)
    {
        format.Drop(gone);
        partitions.Release(gone);
    }

    /// <summary>A batch sync stops reading, then keeps the group membership until its last batch is acknowledged.</summary>
    private void WaitForFinalAcknowledgements()
    {
        backPressure.PauseAll();
        var started = time.GetTimestamp();
        while (ledger.Acknowledged < committer.LastSeq && !token.IsCancellationRequested && time.GetElapsedTime(started) < options.FinalAcknowledgementWait)
        {
            committer.StoreAcknowledged();
            _ = consumer.Consume(PollTimeout); // serves heartbeats and rebalances; nothing read now is stored
        }
    }
}
