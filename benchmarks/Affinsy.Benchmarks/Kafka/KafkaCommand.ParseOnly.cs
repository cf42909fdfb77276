using System.Diagnostics;
using System.Globalization;
using Affinsy.Connectors.Kafka;
using Confluent.Kafka;

namespace Affinsy.Benchmarks;

internal sealed partial class KafkaCommand
{
    /// <summary>
    /// <c>--parse-only true</c>: the format's decoding alone (parse, normalize), on this thread, with no broker: the
    /// consumer thread's share of the CPU that is ours rather than librdkafka's.
    /// </summary>
    private static int ParseOnly(long messages, string format)
    {
        var decoder = Affinsy.Connectors.Kafka.Formats.KafkaFormats.Create(new KafkaSourceOptions { BootstrapServers = "-", GroupId = "-", Format = format });
        var partition = new TopicPartition("bench", 0);
        var bodies = new List<byte[]>();
        for (var order = 0L; order < 1_000; order++)
        {
            var id = order.ToString(CultureInfo.InvariantCulture);
            bodies.Add(System.Text.Encoding.UTF8.GetBytes($$"""{"order_id":"{{id}}","customer_id":"{{order % 5_000}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Product {{order % 97}}","unit_price":2.5,"quantity":1},{"product_name":"Product {{(order % 89) + 100}}","unit_price":4,"quantity":2}]}"""));
        }

        var sink = new CountingOutput();
        for (var round = 0; round < 2; round++)
        {
            var before = ThreadCpu.CurrentThreadSeconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0L; i < messages; i++)
            {
                decoder.Accept(new Affinsy.Connectors.Kafka.Formats.KafkaRecord(partition, i, DateTimeOffset.UnixEpoch, null, bodies[(int)(i % bodies.Count)], null), sink);
            }

            var cpu = ThreadCpu.CurrentThreadSeconds() - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"parse_only\":true,\"round\":{round},\"messages\":{messages},\"seconds\":{clock.Elapsed.TotalSeconds:F3},\"cpu_seconds\":{cpu:F2},\"us_per_message_cpu\":{cpu * 1e6 / messages:F2},\"orders\":{sink.Orders},\"problems\":{sink.Problems}}}"));
        }

        return 0;
    }

    private sealed class CountingOutput : Affinsy.Connectors.Kafka.Formats.IFormatOutput
    {
        public long Orders { get; private set; }

        public long Problems { get; private set; }

        /// <summary>Normalized here as the pipeline would, so the decode figure still includes normalization.</summary>
        public void Draft(Affinsy.Core.Orders.OrderDraft draft)
        {
            if (Affinsy.Core.Orders.OrderNormalizer.Normalize(draft).Order is not null)
            {
                Orders++;
            }
            else
            {
                Problems++;
            }
        }

        public void Problem(string reason, Affinsy.Connectors.Kafka.Formats.KafkaRecord record, string? orderId) => Problems++;

        /// <summary>Orders skipped by design (cancelled, test...): neither orders nor problems, as before skips were counted.</summary>
        public long SkippedOrders { get; private set; }

        public void Skipped(Affinsy.Core.Sources.SkipReason reason) => SkippedOrders++;
    }
}
