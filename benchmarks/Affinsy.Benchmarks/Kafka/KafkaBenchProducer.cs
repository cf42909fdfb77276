using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

/// <summary>
/// The Kafka benchmark's producer side: topics, the warm-up and measured messages (whole orders in the <c>affinsy</c>
/// or <c>line_item</c> format), produced as an order service would.
/// </summary>
internal static class KafkaBenchProducer
{
    public const string WarmTopic = "bench-warm";

    /// <summary>Produce-time samples for the latency of the concurrent mode: one message in this many.</summary>
    private const int LatencySampleEvery = 8;
    /// <summary>Produces <paramref name="count"/> warm-up messages to a topic of their own; returns its final offsets.</summary>
    internal static async Task<ConcurrentDictionary<TopicPartition, long>> ProduceWarmUpAsync(KafkaBroker broker, string format, long count)
    {
        await broker.CreateTopicAsync(WarmTopic, 4, CancellationToken.None);
        var finalOffsets = new ConcurrentDictionary<TopicPartition, long>();
        using var producer = CreateProducer(broker);
        Produce(producer, [WarmTopic], count, format, 0, "w", null, finalOffsets);
        return finalOffsets;
    }

    /// <summary>The measured topics, 4 partitions each; returns the number of partitions.</summary>
    internal static async Task<int> CreateTopicsAsync(KafkaBroker broker, IReadOnlyList<string> topics)
    {
        var partitions = 0;
        foreach (var topic in topics)
        {
            partitions += await broker.CreateTopicAsync(topic, 4, CancellationToken.None);
        }

        return partitions;
    }

    /// <summary>A producer as an order service would run one: acks=all, idempotent, lz4-compressed batches.</summary>
    internal static IProducer<string?, string> CreateProducer(KafkaBroker broker) =>
        new ProducerBuilder<string?, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
        }).Build();

    /// <summary>Produces on a thread of its own, named so its CPU is told apart from the pipeline's.</summary>
    internal static Task<long> ProduceOnOwnThreadAsync(
        IProducer<string?, string> producer, IReadOnlyList<string> topics, long messages, string format, double rate,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>> produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var orders = Produce(producer, topics, messages, format, rate, string.Empty, produced, finalOffsets);
                ThreadCpu.ProducerSeconds = ThreadCpu.CurrentThreadSeconds();
                done.SetResult(orders);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { Name = "bench-produce", IsBackground = true };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Produces at least <paramref name="messages"/> messages (whole orders), round-robin over the topics by order and
    /// waits for every delivery; returns how many orders were produced. Order i has two products (see
    /// <see cref="Verify"/>), so nothing per message is kept but a sample of produce times.
    /// Over 60 lines: the local <c>Send</c> keeps the delivery callback, the queue-full retry and the pacing beside the
    /// five counters they share.
    /// </summary>
    internal static long Produce(
        IProducer<string?, string> producer, IReadOnlyList<string> topics, long messages, string format, double rate, string idPrefix,
        ConcurrentDictionary<TopicPartition, ConcurrentQueue<(long, long)>>? produced, ConcurrentDictionary<TopicPartition, long> finalOffsets)
    {
        var started = Stopwatch.GetTimestamp();
        var sent = 0L;
        Exception? failure = null;
        void Send(string topic, string key, string value)
        {
            var ticks = Stopwatch.GetTimestamp();
            void OnDelivery(DeliveryReport<string?, string> report)
            {
                if (report.Error.IsError)
                {
                    failure ??= new InvalidOperationException($"produce failed: {report.Error.Reason}");
                    return;
                }

                if (produced is not null && report.Offset.Value % LatencySampleEvery == 0)
                {
                    produced.GetOrAdd(report.TopicPartition, _ => new ConcurrentQueue<(long, long)>()).Enqueue((report.Offset.Value, ticks));
                }

                finalOffsets.AddOrUpdate(report.TopicPartition, report.Offset.Value + 1, (_, o) => Math.Max(o, report.Offset.Value + 1));
            }

            // The local queue fills when production outruns the broker (a million-message backlog does): serve
            // delivery reports until there is room, as a producing application must.
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string?, string> { Key = key, Value = value }, OnDelivery);
                    break;
                }
                catch (ProduceException<string?, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }

            sent++;
            if (rate > 0)
            {
                while (sent / Stopwatch.GetElapsedTime(started).TotalSeconds > rate)
                {
                    Thread.Sleep(1); // pacing, not synchronisation: a spinning producer would starve the pipeline on 2 cores
                }
            }
        }

        var order = 0L;
        for (; sent < messages; order++)
        {
            var topic = topics[(int)(order % topics.Count)];
            var id = idPrefix + order.ToString(CultureInfo.InvariantCulture);
            foreach (var value in OrderMessages(format, idPrefix, order, id))
            {
                Send(topic, id, value);
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0)
        {
            throw new InvalidOperationException("The producer could not deliver every message within 2 minutes.");
        }

        return failure is null ? order : throw failure;
    }

    /// <summary>
    /// Order <paramref name="order"/>'s messages: "Product {i % 97}" x1 and "Product {i % 89 + 100}" x2 (what
    /// <see cref="KafkaBenchChecks.Verify"/> expects), as one message or as a line each and an end marker; the
    /// concurrent mode's probe order ("warm-up-" prefix) is one "Tea".
    /// </summary>
    private static IEnumerable<string> OrderMessages(string format, string idPrefix, long order, string id)
    {
        var customer = (order % 5_000).ToString(CultureInfo.InvariantCulture);
        var a = $"Product {order % 97}";
        var b = $"Product {(order % 89) + 100}";
        if (idPrefix == "warm-up-")
        {
            yield return format == "affinsy"
                ? $$"""{"order_id":"{{id}}","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}"""
                : $$"""{"order_id":"{{id}}","product_name":"Tea","unit_price":1,"quantity":1}""";
            if (format != "affinsy")
            {
                yield return $$"""{"order_id":"{{id}}","end":true}""";
            }
        }
        else if (format == "affinsy")
        {
            yield return $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"{{a}}","unit_price":2.5,"quantity":1},{"product_name":"{{b}}","unit_price":4,"quantity":2}]}""";
        }
        else
        {
            yield return $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"2026-01-10T10:00:00Z","product_name":"{{a}}","unit_price":2.5,"quantity":1}""";
            yield return $$"""{"order_id":"{{id}}","product_name":"{{b}}","unit_price":4,"quantity":2}""";
            yield return $$"""{"order_id":"{{id}}","end":true}""";
        }
    }
}
