using System.Diagnostics;
using System.Globalization;

namespace Affinsy.Benchmarks;

/// <summary>
/// CPU time per thread from /proc/self/task (Linux), grouped by thread name: our consumer thread, librdkafka's
/// threads (consumer, producer and the mock brokers), the thread pool (sink, HTTP client and the reference server,
/// which share it), the benchmark's producer. Threads that ended inside the window count as "exited".
/// </summary>
internal static class ThreadCpu
{
    /// <summary>The benchmark producer's CPU, read by that thread as it ends (it ends before the last sample).</summary>
    public static double ProducerSeconds { get; set; }

    public static double CurrentThreadSeconds()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) Sample()
    {
        var threads = new Dictionary<int, (string, double)>();
        var ticks = 100.0; // USER_HZ on Linux
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var open = stat.IndexOf('(', StringComparison.Ordinal);
                    var close = stat.LastIndexOf(')');
                    var name = stat[(open + 1)..close];
                    var fields = stat[(close + 2)..].Split(' ');
                    var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticks;
                    threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, seconds);
                }
                catch (IOException)
                {
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return (Process.GetCurrentProcess().TotalProcessorTime, threads);
    }

    public static string Describe((TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) before, (TimeSpan Total, Dictionary<int, (string Name, double Seconds)> Threads) after, long messages)
    {
        var groups = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var accounted = 0.0;
        foreach (var (id, (name, seconds)) in after.Threads)
        {
            var used = seconds - (before.Threads.TryGetValue(id, out var b) ? b.Seconds : 0);
            var group = name.StartsWith("rdk:", StringComparison.Ordinal) ? "librdkafka"
                : name.StartsWith("affinsy-kafka", StringComparison.Ordinal) ? "consumer_thread"
                : name.StartsWith("bench-produce", StringComparison.Ordinal) ? "bench_producer"
                : name.Contains("TP Worker", StringComparison.Ordinal) || name.Contains("Thread Pool", StringComparison.Ordinal) ? "thread_pool"
                : name.Contains("GC", StringComparison.Ordinal) ? "gc"
                : name.StartsWith(".NET Tiered", StringComparison.Ordinal) ? "jit"
                : name.StartsWith(".NET Long Run", StringComparison.Ordinal) ? "bench_producer_delivery_reports"
                : "other";
            groups[group] = groups.GetValueOrDefault(group) + used;
            accounted += used;
        }

        var total = (after.Total - before.Total).TotalSeconds;
        groups["bench_producer"] = ProducerSeconds;
        accounted += ProducerSeconds;
        groups["exited"] = Math.Max(0, total - accounted);
        var parts = string.Join(',', groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"\"{g.Key}\":{g.Value:F2}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"cpu_seconds\":{total:F2},\"cpu_seconds_per_100k\":{total * 100_000 / Math.Max(1, messages):F2},\"by_thread\":{{{parts}}}}}");
    }
}
