using System.Diagnostics;
using System.Globalization;
using Affinsy.Connectors.Shopify;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Emulators.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>shopify --orders N --mode bulk|graphql|rest [--throttle none|shopify] [--fixtures inline|process] [--temp-dir D]</c>: a full sync of an emulated shop of N
/// orders into a reference server (SQLite, no rate limit). With <c>--throttle shopify</c> the emulator enforces a
/// standard plan's limits (GraphQL 2,000 points restoring 100/s; REST 40 calls leaking 2/s) on a virtual clock:
/// waits cost no wall time, so <c>seconds</c> = wall time + time waited for the buckets, the duration a real shop
/// that answered as fast as the emulator would take. <c>limit_efficiency</c> = the share of the limit actually used
/// over that duration (points or calls spent / (bucket + restore x seconds)); null for bulk, which is barely metered.
/// <c>--fixtures process</c> runs the emulator and the server in a child process (<see cref="FixtureCommand"/>), so that
/// <c>peak_working_set_mb</c> is this process's alone: the connector, the sink and the state store, as deployed; the
/// child's is <c>fixture_peak_working_set_mb</c>. Its emulator runs on real time, so throttled runs wait for real.
/// </summary>
internal sealed class ShopifyCommand : IBenchmarkCommand
{
    public string Name => "shopify";

    public string Description => "full sync of an emulated Shopify store: --orders N --mode bulk|graphql|rest [--throttle none|shopify] [--fixtures inline|process] [--temp-dir D]";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var count = (int)options.Long("orders", 10_000);
        var mode = (options.String("mode") ?? "bulk") switch
        {
            "graphql" => ShopifyReadMode.GraphQL,
            "rest" => ShopifyReadMode.Rest,
            _ => ShopifyReadMode.Bulk,
        };
        var throttle = (options.String("throttle") ?? "shopify") == "shopify";
        var stage = options.String("stage") ?? "sync";
        var separate = (options.String("fixtures") ?? "inline") == "process";
        if (separate && stage == "download")
        {
            throw new ArgumentException("--stage download needs --fixtures inline");
        }

        // 2026-12-02: the default version (2026-10) is served as asked and bulk results are ungrouped (groupObjects false).
        var clock = new VirtualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)) { FlowsWithRealTime = true };
        using var scratch = new TempDirectory();
        var dataDir = scratch.Path;
        var emulatorOptions = new ShopifyEmulatorOptions { Orders = count, Throttle = throttle, BulkDuration = TimeSpan.FromSeconds(1) };
        ShopifyEmulator? emulator = null;
        ReferenceServer? server = null;
        FixtureProcess? fixtures = null;
        Uri shop;
        Uri api;
        if (separate)
        {
            // The emulator and the server in a child process: this process's memory is the connector's and the sink's.
            // The child's clock is real time, so throttled waits cost wall time there.
            fixtures = await FixtureProcess.StartAsync(["shopify", "--orders", count.ToString(CultureInfo.InvariantCulture), "--throttle", throttle ? "shopify" : "none"], CancellationToken.None);
            (shop, api) = (fixtures.Source, fixtures.Api);
        }
        else
        {
            emulator = await ShopifyEmulator.StartAsync(emulatorOptions, clock, CancellationToken.None);
            server = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(dataDir, "server"));
            (shop, api) = (emulator.BaseUrl, server.ApiBase);
        }

        TimeProvider time = separate ? TimeProvider.System : clock;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var sender = new AffinsySender(http, new SinkOptions { BaseUrl = api, ApiKey = ReferenceSettings.LocalDevKey, RequestsPerMinute = 1_000_000 });
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(dataDir, "state.db"), TimeProvider.System, CancellationToken.None);
        var source = new ShopifyOrderSource(
            new ShopifySourceOptions { Shop = "bench.myshopify.com", AccessToken = emulatorOptions.AccessToken, BaseUrl = shop, Mode = mode, TempDirectory = options.String("temp-dir") },
            new SourceContext("bench", "bench", dataDir, time, NullLoggerFactory.Instance));
        var sync = new PipelineSync(sender, checkpoints, new JsonlDeadLetterStore(dataDir));
        var heap = HeapSampler.Start(blocking: options.String("heap-gc") == "blocking");

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = stage switch
        {
            "read" => await DrainAsync(source),
            "download" => await DownloadAsync(emulator!, source),
            _ => await sync.RunAsync("bench", "bench", source, null, CancellationToken.None),
        };
        wall.Stop();
        // From the moment Shopify's result was ready to the last acknowledgement: what the connector and the sink do with it.
        double? resultSeconds = source.BulkResultOpenedAt == 0 ? null : time.GetElapsedTime(source.BulkResultOpenedAt).TotalSeconds;
        var waited = separate ? TimeSpan.Zero : clock.Elapsed;
        var seconds = wall.Elapsed.TotalSeconds + waited.TotalSeconds;
        var heapGrowth = await heap.StopAsync();
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"stage {stage}: cpu_seconds {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F2} ({(separate ? "connector and sink only" : "connector, emulator and reference server")}), wall {wall.Elapsed.TotalSeconds:F2}"));
        if (result.Outcome != SyncOutcome.Completed)
        {
            await Console.Error.WriteLineAsync($"sync {result.Outcome}: {result.Error}");
            return 1;
        }

        var counters = await CountersAsync(emulator, fixtures);
        double? efficiency = mode switch
        {
            ShopifyReadMode.GraphQL when throttle => counters.PointsSpent / (emulatorOptions.CostBucket + (emulatorOptions.CostRestorePerSecond * seconds)),
            ShopifyReadMode.Rest when throttle => counters.RestRequests / (emulatorOptions.CallBucket + (emulatorOptions.CallBucket / 20.0 * seconds)),
            _ => null,
        };
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"orders\":{result.OrdersRead},\"seconds\":{seconds:F3},\"orders_per_second\":{result.OrdersRead / seconds:F0},\"limit_efficiency\":{(efficiency is { } e ? e.ToString("F3", CultureInfo.InvariantCulture) : "null")},\"throttle_violations\":{counters.ThrottleViolations},\"peak_working_set_mb\":{peak:F0},\"fixtures\":\"{(separate ? "process" : "inline")}\",\"fixture_peak_working_set_mb\":{(counters.FixturePeakMb is { } f ? f.ToString("F0", CultureInfo.InvariantCulture) : "null")},\"peak_live_heap_growth_mb\":{heapGrowth:F1},\"heap_samples\":{heap.Samples},\"wall_seconds\":{wall.Elapsed.TotalSeconds:F3},\"export_seconds\":{counters.ExportSeconds:F3},\"connector_orders_per_second\":{result.OrdersRead / (wall.Elapsed.TotalSeconds - counters.ExportSeconds):F0},\"waited_seconds\":{waited.TotalSeconds:F3},\"seeded_orders\":{count},\"temp_disk_mb\":{source.BulkSpillBytes / (1024.0 * 1024.0):F1},\"result_seconds\":{Json(resultSeconds, "F3")},\"result_orders_per_second\":{Json(result.OrdersRead / resultSeconds, "F0")},\"spill_seconds\":{source.BulkSpillTime.TotalSeconds:F3}}}"));
        if (fixtures is not null)
        {
            await fixtures.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        return 0;
    }

    private static string Json(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "null";

    /// <summary>The connector alone: every batch read and dropped, no sink.</summary>
    private static async Task<SyncResult> DrainAsync(ShopifyOrderSource source)
    {
        long orders = 0;
        var clock = Stopwatch.StartNew();
        var marks = new List<string>();
        var batches = 0;
        await foreach (var read in source.ReadAsync(null, CancellationToken.None))
        {
            var batch = read.Normalize(); // the pipeline's share of the work, as before the move out of the source
            if (batches++ < 2 || (orders == 0 && batch.Orders.Count > 0))
            {
                marks.Add(string.Create(CultureInfo.InvariantCulture, $"batch {batches} ({batch.Orders.Count} orders) at {clock.Elapsed.TotalSeconds:F2} s"));
            }

            orders += batch.Orders.Count;
        }

        marks.Add(string.Create(CultureInfo.InvariantCulture, $"{batches} batches, end at {clock.Elapsed.TotalSeconds:F2} s"));
        await Console.Error.WriteLineAsync(string.Join("; ", marks));

        return new SyncResult { Pipeline = "bench", DatasetId = "bench", Outcome = SyncOutcome.Completed, OrdersRead = orders };
    }

    /// <summary>The emulator alone: a bulk export run by the connector's read, then its JSONL result fetched again as raw bytes.</summary>
    private static async Task<SyncResult> DownloadAsync(ShopifyEmulator emulator, ShopifyOrderSource source)
    {
        var read = await DrainAsync(source);
        using var http = new HttpClient();
        var download = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri(emulator.BaseUrl, "bulk-results/1.jsonl"), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += n;
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"download alone: {bytes / 1e6:F1} MB in {download.Elapsed.TotalSeconds:F2} s"));

        // The parse and mapping alone, from memory, on this thread: CPU time is the connector's own cost.
        var jsonl = await http.GetByteArrayAsync(new Uri(emulator.BaseUrl, "bulk-results/1.jsonl"));
        for (var round = 0; round < 3; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var parse = Stopwatch.StartNew();
            var builder = new BatchBuilder(new Affinsy.Connectors.Shopify.Mapping.ShopifyMappingOptions(), new SkipCounter());
            var parser = new BulkResultParser(builder, "op");
            using var spill = new OrderSpill(jsonl.Length / 300, Path.GetTempPath());
            using var lines = new JsonlLines(new MemoryStream(jsonl));
            long lineNumber = 0;
            long orders = 0;
            while (await lines.FillAsync(CancellationToken.None))
            {
                while (lines.TryTakeLine(out var line))
                {
                    spill.Add(line, ++lineNumber);
                }
            }

            spill.Complete();
            var pass1 = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            while (spill.NextPartition())
            {
                foreach (var group in spill.Orders)
                {
                    parser.Order(spill.Line(group.Order), group.Order.LineNumber);
                    for (var c = group.FirstChild; c >= 0; c = spill.NextChild(c))
                    {
                        parser.Child(spill.Line(spill.Child(c)), spill.Child(c).LineNumber);
                    }

                    parser.Complete();
                    if (builder.Count >= 1000)
                    {
                        orders += builder.Take(null).Normalize().Orders.Count;
                    }
                }
            }

            orders += builder.Take(null).Normalize().Orders.Count;
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"parse+map+normalize alone: {orders} orders, {lineNumber} lines, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s (pass 1, split and spill: {pass1:F2} s), wall {parse.Elapsed.TotalSeconds:F2} s"));
        }

        return read;
    }

    private static async Task<Counters> CountersAsync(ShopifyEmulator? emulator, FixtureProcess? fixtures)
    {
        if (emulator is not null)
        {
            return new Counters(emulator.ThrottleViolations, emulator.PointsSpent, emulator.RestRequests, emulator.ExportTime.TotalSeconds, null);
        }

        using var stats = await fixtures!.StatsAsync(CancellationToken.None);
        var root = stats.RootElement;
        return new Counters(
            root.GetProperty("throttle_violations").GetInt32(),
            root.GetProperty("points_spent").GetDouble(),
            root.GetProperty("rest_requests").GetInt32(),
            root.GetProperty("export_seconds").GetDouble(),
            root.GetProperty("peak_working_set_mb").GetDouble());
    }

    /// <summary>What the emulator counted, wherever it ran; the fixture process's peak working set when it had one.</summary>
    private sealed record Counters(int ThrottleViolations, double PointsSpent, int RestRequests, double ExportSeconds, double? FixturePeakMb);
}
