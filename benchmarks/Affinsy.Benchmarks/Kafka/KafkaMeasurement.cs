using System.Collections.Concurrent;
using System.Diagnostics;
using Affinsy.Connectors.Kafka.Offsets;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>
/// The measured run of the <c>kafka</c> benchmark: a streaming pipeline over the measured topics, stopped at the save
/// of the checkpoint that covers every message. Backlog: the clock starts at the first batch the consumer hands over.
/// Concurrent: once a first probe order is acknowledged (the group has joined), the messages are produced while the
/// consumer reads, and the clock starts with the producer.
/// </summary>
internal sealed class KafkaMeasurement(KafkaRunOptions options, KafkaFixtures fixtures)
{
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource allProduced = new();
    private readonly List<(double Ms, int Orders)> batchLatencies = [];
    private TimedSource timed = null!;
    private (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads)? cpuAtEnd;
    private long? endTicks;

    /// <summary>What the run measured: the sync's result, the messages' rate inputs, latencies and memory.</summary>
    public sealed record Figures(SyncResult Result, long Orders, double Seconds, List<(double Ms, int Weight)> Latencies, string LatencyBasis, double PeakWorkingSetMb, double PeakHeapMb);

    public async Task<Figures> RunAsync(AffinsySender sender, ICheckpointStore checkpoints, IDeadLetterStore deadLetters)
    {
        timed = new TimedSource(KafkaCommand.Source("kafka-bench", fixtures.Bootstrap, fixtures.Topics, "bench", options.Format, options.MaxUnacknowledged));
        var recorder = new RecordingStore(checkpoints);
        if (options.Backlog)
        {
            allProduced.SetResult();
        }

        stop.CancelAfter(TimeSpan.FromMinutes(5));
        using var sampling = new CancellationTokenSource();
        var heapSampler = KafkaBenchChecks.PeakManagedHeapAsync(sampling.Token);
        var run = new PipelineSync(sender, recorder, deadLetters).RunAsync("kafka-bench", "bench", timed, null, stop.Token);
        var produced = new ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>>();
        var (startTicks, cpuBefore, orders) = options.Backlog
            ? await StartBacklogAsync(recorder)
            : await ProduceConcurrentlyAsync(recorder, produced);
        var result = await run;
        sampling.Cancel();
        var peakHeapMb = await heapSampler / (1024.0 * 1024.0);
        var seconds = Stopwatch.GetElapsedTime(startTicks, endTicks ?? Stopwatch.GetTimestamp()).TotalSeconds;
        var peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        await Console.Error.WriteLineAsync(ThreadCpu.Describe(cpuBefore, cpuAtEnd ?? ThreadCpu.Sample(), options.Messages));
        var (latencies, basis) = options.Backlog
            ? (batchLatencies, "consumed_to_acknowledged")
            : (KafkaBenchChecks.ProducedToAcknowledged(produced, recorder), "produced_to_acknowledged");
        return new Figures(result, orders, seconds, latencies, basis, peakWorkingSetMb, peakHeapMb);
    }

    private async Task<(long Ticks, (TimeSpan, Dictionary<int, (string, double)>) Cpu, long Orders)> StartBacklogAsync(RecordingStore recorder)
    {
        recorder.Saved = OnSaved;
        var (ticks, cpu) = await timed.FirstBatch.Task.WaitAsync(TimeSpan.FromMinutes(1));
        return (ticks, cpu, fixtures.Orders);
    }

    private async Task<(long Ticks, (TimeSpan, Dictionary<int, (string, double)>) Cpu, long Orders)> ProduceConcurrentlyAsync(
        RecordingStore recorder, ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>> produced)
    {
        // The group's join takes seconds on the mock cluster; messages produced before its first fetch could
        // outrun retention. Produce once the consumer is reading: a first order, acknowledged, proves it.
        using var producer = KafkaBenchProducer.CreateProducer(fixtures.Broker!);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Saved = _ => reading.TrySetResult();
        KafkaBenchProducer.Produce(producer, [.. fixtures.Topics.Take(1)], 1, options.Format, 0, "warm-up-", null, fixtures.FinalOffsets);
        await reading.Task.WaitAsync(TimeSpan.FromMinutes(1));
        recorder.Saved = OnSaved;
        var cpu = ThreadCpu.Sample();
        var ticks = Stopwatch.GetTimestamp();
        var orders = await KafkaBenchProducer.ProduceOnOwnThreadAsync(producer, fixtures.Topics, options.Messages, options.Format, options.Rate, produced, fixtures.FinalOffsets);
        allProduced.SetResult();
        if (recorder.Last is { } last)
        {
            OnSaved(last);
        }

        return (ticks, cpu, orders);
    }

    /// <summary>Each saved checkpoint: the latency of the batches it covers; the end once it covers every message.</summary>
    private void OnSaved(KafkaCheckpoint checkpoint)
    {
        var now = Stopwatch.GetTimestamp();
        while (timed.Yielded.TryPeek(out var batch) && batch.Seq <= checkpoint.Seq && timed.Yielded.TryDequeue(out batch))
        {
            batchLatencies.Add((Stopwatch.GetElapsedTime(batch.Ticks, now).TotalMilliseconds, batch.Orders));
        }

        if (allProduced.Task.IsCompleted && fixtures.FinalOffsets.All(f => checkpoint.Partitions.TryGetValue($"{f.Key.Topic}/{f.Key.Partition.Value}", out var o) && o >= f.Value))
        {
            // Sampled before the consumer thread ends, so its CPU is still readable.
            cpuAtEnd ??= ThreadCpu.Sample();
            endTicks ??= now;
            stop.Cancel();
        }
    }
}
