using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;

namespace Affinsy.Benchmarks;

internal sealed partial class KafkaCommand
{
    /// <summary>
    /// <c>--parse-only true</c>: the <c>affinsy</c> format's decoding alone (the UTF-8 check every message gets, the
    /// reader, normalization), on this thread, with no broker: the consumer thread's share of the CPU that is ours
    /// rather than librdkafka's. Through the reader's public entry (<see cref="AffinsyMessageReader"/>), which the
    /// format calls once per message.
    /// </summary>
    private static int ParseOnly(long messages)
    {
        var bodies = new List<byte[]>();
        for (var order = 0L; order < 1_000; order++)
        {
            var id = order.ToString(CultureInfo.InvariantCulture);
            bodies.Add(System.Text.Encoding.UTF8.GetBytes($$"""{"order_id":"{{id}}","customer_id":"{{order % 5_000}}","order_date":"2026-01-10T10:00:00Z","line_items":[{"product_name":"Product {{order % 97}}","unit_price":2.5,"quantity":1},{"product_name":"Product {{(order % 89) + 100}}","unit_price":4,"quantity":2}]}"""));
        }

        for (var round = 0; round < 2; round++)
        {
            long orders = 0, problems = 0;
            var before = ThreadCpu.CurrentThreadSeconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0L; i < messages; i++)
            {
                if (Decode(bodies[(int)(i % bodies.Count)]))
                {
                    orders++;
                }
                else
                {
                    problems++;
                }
            }

            var cpu = ThreadCpu.CurrentThreadSeconds() - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"parse_only\":true,\"round\":{round},\"messages\":{messages},\"seconds\":{clock.Elapsed.TotalSeconds:F3},\"cpu_seconds\":{cpu:F2},\"us_per_message_cpu\":{cpu * 1e6 / messages:F2},\"orders\":{orders},\"problems\":{problems}}}"));
        }

        return 0;
    }

    /// <summary>One message as the consumer thread and the pipeline handle it: true when it becomes an order to send.</summary>
    private static bool Decode(byte[] value)
    {
        if (!Utf8.IsValid(value))
        {
            return false;
        }

        try
        {
            return AffinsyMessageReader.Read(value, "kafka") is { Problem: null } draft && OrderNormalizer.Normalize(draft).Order is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
