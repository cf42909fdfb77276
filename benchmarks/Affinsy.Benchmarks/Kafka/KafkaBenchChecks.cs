using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Affinsy.Reference;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>What the Kafka benchmark checks and measures around a run: retention, the stored rows, latencies, the heap.</summary>
internal static class KafkaBenchChecks
{
    /// <summary>
    /// The largest managed heap seen (sampled every 100 ms during the measured run): the process's .NET objects (the
    /// connector, the sink, the in-process server) without librdkafka's buffers, the mock brokers' logs and SQLite's cache.
    /// </summary>
    internal static async Task<long> PeakManagedHeapAsync(CancellationToken cancellationToken)
    {
        var peak = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return peak;
    }

    /// <summary>
    /// Messages the broker's retention deleted by the end of the run (the sum of the low watermarks), read or not: in a
    /// backlog run it is 0 by the check before the clock starts; elsewhere a message deleted before it was read shows as lost.
    /// </summary>
    internal static long ExpiredByRetention(KafkaBroker broker, IReadOnlyList<string> topics)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "bench-probe" }).Build();
        return topics.SelectMany(broker.TopicPartitions).Sum(partition => probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value);
    }

    /// <summary>A backlog is only a fair test if retention kept all of it: fail before the clock starts if not.</summary>
    internal static void EnsureNothingExpired(KafkaBroker broker, IReadOnlyList<string> topics, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "bench-probe" }).Build();
        foreach (var partition in topics.SelectMany(broker.TopicPartitions))
        {
            var marks = probe.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.Low.Value > 0)
            {
                throw new InvalidOperationException(
                    $"The broker's retention deleted {marks.Low.Value} of {finalOffsets.GetValueOrDefault(partition)} messages of {partition} before they were read: "
                    + "spread the backlog over more topics (--topics) or use --production concurrent.");
            }
        }
    }

    /// <summary>
    /// Streams the measured dataset's rows from the server and compares them with what was produced (order i has
    /// "Product {i % 97}" x1 and "Product {i % 89 + 100}" x2; the concurrent mode's one probe order has "Tea" x1).
    /// </summary>
    internal static (long Lost, long Duplicated) Verify(ReferenceServer server, long orders, bool withProbe)
    {
        var expectedRows = orders * 2 + (withProbe ? 1 : 0);
        long found = 0, duplicated = 0;
        server.Store.ForEachLine("local", "bench", line =>
        {
            double? expected = null;
            if (withProbe && line.OrderId == "warm-up-0")
            {
                expected = line.ProductName == "Tea" ? 1 : null;
            }
            else if (long.TryParse(line.OrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var order) && order < orders
                && line.ProductName.StartsWith("Product ", StringComparison.Ordinal)
                && long.TryParse(line.ProductName.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var product))
            {
                expected = product == order % 97 ? 1 : product == (order % 89) + 100 ? 2 : null;
            }

            if (expected is null)
            {
                duplicated++;
                return;
            }

            found++;
            if (line.Quantity != expected)
            {
                duplicated++;
            }
        });
        return (expectedRows - found, duplicated);
    }

    /// <summary>Concurrent mode: from a sampled message's produce time to the first save whose offset passes it.</summary>
    internal static List<(double Ms, int Weight)> ProducedToAcknowledged(
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long Offset, long Ticks)>> produced, RecordingStore recorder)
    {
        var latencies = new List<(double, int)>();
        foreach (var (partition, queue) in produced)
        {
            // One consumer, one assignment: a partition's safe offset only grows from save to save.
            var key = $"{partition.Topic}/{partition.Partition.Value}";
            var saves = recorder.Saves.Where(s => s.Checkpoint.Partitions.ContainsKey(key)).Select(s => (s.Ticks, Offset: s.Checkpoint.Partitions[key])).ToList();
            var next = 0;
            foreach (var (offset, ticks) in queue.OrderBy(m => m.Offset))
            {
                while (next < saves.Count && saves[next].Offset <= offset)
                {
                    next++;
                }

                if (next < saves.Count)
                {
                    latencies.Add((Stopwatch.GetElapsedTime(ticks, saves[next].Ticks).TotalMilliseconds, 1));
                }
            }
        }

        return latencies;
    }

    /// <summary>The weighted percentile: each sample counts <c>Weight</c> times (a batch's orders share its latency).</summary>
    internal static double Percentile(List<(double Ms, int Weight)> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        samples.Sort((x, y) => x.Ms.CompareTo(y.Ms));
        var total = samples.Sum(s => (long)s.Weight);
        var target = (long)(p * total);
        var seen = 0L;
        foreach (var (ms, weight) in samples)
        {
            seen += weight;
            if (seen > target)
            {
                return ms;
            }
        }

        return samples[^1].Ms;
    }
}
