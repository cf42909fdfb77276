using System.Diagnostics;
using System.Globalization;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>ingest --line-items N --latency-ms-per-1000 D --window-seconds W --requests-per-window R</c>: the sink end to
/// end (source, packer, pacing, 2 requests in flight, acknowledgements, checkpoints) into a reference server that
/// models the real API's ingest latency and rate limit. Efficiency compares the achieved rate with the best the
/// limits allow: R requests of 10,000 line items per W seconds, and 2 requests in flight each taking
/// 10 x D ms. <c>--requests-per-window 0</c> means no rate limit on either side.
/// </summary>
internal sealed class IngestCommand : IBenchmarkCommand
{
    private const int LineItemsPerRequest = SinkOptions.ApiMaxLineItemsPerRequest;
    private const int InFlight = 2;
    private const int Unlimited = 1_000_000;

    public string Name => "ingest";

    public string Description => "sync N line items through the sink into a rate-limited, latency-modelling reference server";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var lineItems = options.Long("line-items", 500_000);
        var latency = options.Double("latency-ms-per-1000", 0);
        var windowSeconds = (int)options.Long("window-seconds", 60);
        var requestsPerWindow = (int)options.Long("requests-per-window", 60);
        var limited = requestsPerWindow > 0;
        var dataDir = Path.Combine(Path.GetTempPath(), "affinsy-bench-" + Guid.NewGuid().ToString("N"));
        var settings = ReferenceSettings.LocalDefault() with
        {
            Limits = new ServerLimits
            {
                RequestsPerWindow = limited ? requestsPerWindow : Unlimited,
                WindowSeconds = windowSeconds,
                IngestDelayMsPer1000LineItems = latency,
                MaxInFlightPerKey = InFlight,
            },
        };

        var source = new MemoryOrderSource(lineItems, ordersPerBatch: 1_000);
        SyncResult result;
        double seconds;
        await using (var server = await ReferenceServer.StartAsync(
            new ReferenceServerOptions { DataDirectory = dataDir, Settings = settings, Logging = _ => { } }, CancellationToken.None))
        {
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var sender = new AffinsySender(http, new SinkOptions
            {
                BaseUrl = server.ApiBase,
                ApiKey = ReferenceSettings.LocalDevKey,
                MaxInFlight = InFlight,
                RequestsPerMinute = limited ? requestsPerWindow : Unlimited,
                Window = TimeSpan.FromSeconds(windowSeconds),
            });
            var sync = new PipelineSync(sender, new MemoryCheckpointStore(TimeProvider.System), new MemoryDeadLetterStore());
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var gcBefore = GcFigures.Now();
            var clock = Stopwatch.StartNew();
            result = await sync.RunAsync("bench", "bench", source, progress: null, CancellationToken.None);
            seconds = clock.Elapsed.TotalSeconds;
            // CPU time of client and server together: comparable across runs on a busy machine, unlike wall time.
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cpu_seconds {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F2} (client and server)"));
            await Console.Error.WriteLineAsync(GcFigures.Now().Since(gcBefore));
        }

        TryDelete(dataDir);
        if (result.Outcome != SyncOutcome.Completed || result.LineItemsSent != lineItems)
        {
            await Console.Error.WriteLineAsync($"sync {result.Outcome} after {result.LineItemsSent} of {lineItems} line items: {result.Error}");
            return 1;
        }

        var ceiling = Ceiling(latency, windowSeconds, limited ? requestsPerWindow : null);
        var achieved = lineItems / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"line_items\":{lineItems},\"seconds\":{seconds:F3},\"requests\":{result.Requests},\"retries\":{result.Retries},\"http_429\":{result.Throttled},"
            + $"\"ceiling_line_items_per_second\":{Json(ceiling, "F0")},\"achieved_line_items_per_second\":{achieved:F0},"
            + $"\"efficiency\":{Json(ceiling is { } c ? achieved / c : null, "F3")}}}"));
        return 0;
    }

    /// <summary>The best rate the limits allow; null when neither limit is finite.</summary>
    private static double? Ceiling(double latencyMsPer1000, int windowSeconds, int? requestsPerWindow)
    {
        double? ceiling = null;
        if (requestsPerWindow is { } r)
        {
            ceiling = (double)r * LineItemsPerRequest / windowSeconds;
        }

        if (latencyMsPer1000 > 0)
        {
            var byLatency = InFlight * LineItemsPerRequest * 1000 / (LineItemsPerRequest / 1000 * latencyMsPer1000);
            ceiling = ceiling is { } c ? Math.Min(c, byLatency) : byLatency;
        }

        return ceiling;
    }

    private static string Json(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "null";

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
