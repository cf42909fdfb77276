using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// Reads orders from Kafka as a member of a consumer group. Offsets live in the broker and are committed only up
/// to the last message whose orders the pipeline acknowledged (it tells us through <see cref="AcknowledgeAsync"/>
/// once it saved the batch's checkpoint). The <c>from</c> checkpoint is only checked: the group's committed offsets
/// are the resume point. A batch sync ends at the end of the partitions as of its start; <c>stream: true</c> runs on.
/// </summary>
internal sealed class KafkaOrderSource(KafkaSourceOptions options, SourceContext context) : IOrderSource, ICheckableSource
{
    private readonly AcknowledgementLedger ledger = new();

    private volatile IReadOnlyList<KafkaPartitionLag> lag = [];

    public KafkaSourceOptions Options => options;

    /// <summary>
    /// Called on the consumer thread every <see cref="KafkaSourceOptions.LagInterval"/> and at the end of a batch sync
    /// with the lag of each owned partition, after the metric is recorded; keep it cheap. Set it before <see cref="ReadAsync"/>.
    /// </summary>
    internal Action<KafkaPartitionLag>? LagMeasured { get; set; }

    /// <summary>The last lag measured per owned partition (empty before the first measurement).</summary>
    internal IReadOnlyList<KafkaPartitionLag> CurrentLag => lag;

    /// <summary>The pipeline saved <paramref name="checkpoint"/>: its offsets may be committed (by the consumer thread).</summary>
    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var kafka = checkpoint.As(KafkaCheckpoint.Json);
        ledger.Acknowledge(kafka.Run, kafka.Seq);
        return ValueTask.CompletedTask;
    }

    /// <summary>Brokers, topics and the group's offsets through an admin client: reading a stream would wait for messages.</summary>
    public Task<IReadOnlyList<CheckFinding>> CheckAsync(CancellationToken cancellationToken) =>
        new KafkaSourceCheck(options).RunAsync(cancellationToken);

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<OrderBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var logger = context.LoggerFactory.CreateLogger<KafkaOrderSource>();

        // Not a resume point, but a checkpoint another source type wrote means the pipeline was repointed: say so.
        _ = from?.As(KafkaCheckpoint.Json);
        var run = ledger.StartRun();
        var running = RunOnOwnThread(token => ConsumerLoop.Run(options, context, run, channel.Writer, logger, Publish, token), stop.Token);
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
    private Task RunOnOwnThread(Action<CancellationToken> loop, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop(cancellationToken);
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
