using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// Reads orders from Kafka as a member of a consumer group. Offsets live in the broker and are committed only up
/// to the last message whose orders the pipeline acknowledged (it tells us by saving the batch's checkpoint; see
/// <see cref="AcknowledgingCheckpointStore"/>). The <c>from</c> checkpoint is not used: the group's committed offsets
/// are the resume point. A batch sync ends at the end of the partitions as of its start; <c>stream: true</c> runs on.
/// </summary>
internal sealed class KafkaOrderSource(KafkaSourceOptions options, SourceContext context) : IOrderSource, IAcknowledgementObserver
{
    private readonly AcknowledgementLedger ledger = new();
    private volatile bool acknowledgementsWired;

    private volatile IReadOnlyList<KafkaPartitionLag> lag = [];

    public KafkaSourceOptions Options => options;

    /// <summary>With <c>stream: true</c> the consumer runs until stopped: the worker keeps it running.</summary>
    public bool IsContinuous => options.Stream;

    /// <summary>
    /// Called on the consumer thread every <see cref="KafkaSourceOptions.LagInterval"/> and at the end of a batch sync
    /// with the lag of each owned partition, after the metric is recorded; keep it cheap. Set it before <see cref="ReadAsync"/>.
    /// </summary>
    internal Action<KafkaPartitionLag>? LagMeasured { get; set; }

    /// <summary>The last lag measured per owned partition (empty before the first measurement).</summary>
    internal IReadOnlyList<KafkaPartitionLag> CurrentLag => lag;

    /// <summary>Called by <see cref="AcknowledgingCheckpointStore"/>: saved checkpoints will be reported.</summary>
    internal void ExpectAcknowledgements() => acknowledgementsWired = true;

    public void Acknowledged(Checkpoint checkpoint)
    {
        if (KafkaCheckpoint.From(checkpoint) is { } kafka)
        {
            ledger.Acknowledge(kafka.Run, kafka.Seq);
        }
    }

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<OrderBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var logger = context.LoggerFactory.CreateLogger<KafkaOrderSource>();
        var effective = options;
        if (!acknowledgementsWired)
        {
            // Nobody will report acknowledgements: read and send, but commit nothing and wait for nothing.
            logger.LogWarning("Pipeline {Pipeline}: the checkpoint store does not report acknowledgements to the Kafka source; no offsets will be committed.", context.Pipeline);
            effective = options with { FinalAcknowledgementWait = TimeSpan.Zero, RevokeWait = TimeSpan.Zero, ShutdownGrace = TimeSpan.Zero };
        }

        var loop = new ConsumerLoop(effective, context, ledger.StartRun(), channel.Writer, logger, Publish);
        var running = RunOnOwnThread(loop, stop.Token);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private void Publish(IReadOnlyList<KafkaPartitionLag> measured)
    {
        lag = measured;
        foreach (var partition in measured)
        {
            // The consumer lag metric (affinsy.kafka.consumer_lag) is recorded always; a test may listen as well.
            Core.Telemetry.AffinsyMetrics.RecordKafkaLag(context.Pipeline, partition.Topic, partition.Partition, partition.Lag);
            LagMeasured?.Invoke(partition);
        }
    }

    /// <summary>
    /// The consumer blocks in librdkafka, so it gets a thread of its own; named so an operator (top -H, a CPU
    /// breakdown) can tell its cost from the sink's and the thread pool's.
    /// </summary>
    private Task RunOnOwnThread(ConsumerLoop loop, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop.Run(cancellationToken);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            Name = "affinsy-kafka " + context.Pipeline,
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }
}
