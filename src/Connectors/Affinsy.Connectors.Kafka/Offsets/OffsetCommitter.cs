using Affinsy.Connectors.Kafka.Consuming;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// Commits exactly what the pipeline acknowledged. It exists because the delivery guarantee lives here: each batch
/// handed over is remembered with the offsets that become safe once it is acknowledged; when the ledger says it is,
/// those offsets are stored (only for the assignment the batch was read under: after a revoke the next owner's
/// offsets rule) and committed on the interval, on revocation and on shutdown. Auto-commit and auto-store are off, so
/// nothing else ever moves a committed offset. Consumer thread only; it reads the <see cref="AcknowledgementLedger"/>,
/// the one thing another thread writes.
/// </summary>
internal sealed class OffsetCommitter(
    IConsumer<byte[]?, byte[]?> consumer, OwnedPartitions partitions, AcknowledgementLedger ledger, TimeProvider time,
    TimeSpan interval, ILogger logger, string pipeline)
{
    private readonly Queue<HandedOver> handedOver = new();
    private long lastCommit = time.GetTimestamp();
    private bool storedSinceCommit;

    /// <summary>The sequence number of the last batch handed over in this run; -1 before the first.</summary>
    public long LastSeq { get; private set; } = -1;

    /// <summary>Messages consumed up to the end of the last acknowledged batch (what back-pressure subtracts).</summary>
    public long AcknowledgedConsumed { get; private set; }

    /// <summary>Remembers a batch handed over after <paramref name="consumed"/> messages; returns its sequence number.</summary>
    public long Track(long consumed, List<(TopicPartition Partition, int Epoch, long Offset)> safe)
    {
        LastSeq++;
        handedOver.Enqueue(new HandedOver(LastSeq, consumed, safe));
        return LastSeq;
    }

    /// <summary>Stores (for the next commit) the offsets of every batch the pipeline acknowledged so far.</summary>
    public void StoreAcknowledged()
    {
        var acknowledged = ledger.Acknowledged;
        while (handedOver.TryPeek(out var batch) && batch.Seq <= acknowledged)
        {
            handedOver.Dequeue();
            AcknowledgedConsumed = batch.Consumed;
            foreach (var (partition, epoch, offset) in batch.Offsets)
            {
                if (partitions.OwnedSince(partition, epoch) is { } state && offset > state.Stored)
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

    public void CommitIfDue()
    {
        if (time.GetElapsedTime(lastCommit) >= interval)
        {
            Commit();
        }
    }

    public void Commit()
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
            logger.LogWarning("Pipeline {Pipeline}: committing offsets failed ({Reason}); will retry.", pipeline, e.Error.Reason);
        }
    }

    /// <summary>
    /// When stopped, the pipeline may still be saving the checkpoints of requests that just completed: take those
    /// (while they keep coming, up to <paramref name="grace"/>) so a restart re-reads less.
    /// </summary>
    public void AwaitLastAcknowledgements(TimeSpan grace)
    {
        var started = time.GetTimestamp();
        var seen = ledger.Acknowledged;
        while (seen < LastSeq && time.GetElapsedTime(started) < grace)
        {
            _ = ledger.WaitFor(LastSeq, TimeSpan.FromMilliseconds(250), CancellationToken.None);
            if (ledger.Acknowledged == seen)
            {
                break;
            }

            seen = ledger.Acknowledged;
        }
    }

    private sealed record HandedOver(long Seq, long Consumed, List<(TopicPartition Partition, int Epoch, long Offset)> Offsets);
}
