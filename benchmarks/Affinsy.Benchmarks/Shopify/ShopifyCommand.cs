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

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>shopify --orders N --mode bulk|graphql|rest [--throttle none|shopify] [--fixtures inline|process] [--warm-fixtures yes|no] [--stage sync|read|download] [--heap-gc blocking] [--temp-dir D]</c>: a full sync of an emulated shop of N
/// orders into a reference server (SQLite, no rate limit). With <c>--throttle shopify</c> the emulator enforces a
/// standard plan's limits (GraphQL 2,000 points restoring 100/s; REST 40 calls leaking 2/s) on a virtual clock:
/// waits cost no wall time, so <c>seconds</c> = wall time + time waited for the buckets, the duration a real shop
/// that answered as fast as the emulator would take. <c>limit_efficiency</c> = the share of the limit actually used
/// over that duration (points or calls spent / (bucket + restore x seconds)); null for bulk, which is barely metered.
/// <c>--fixtures process</c> runs the emulator and the server in a child process (<see cref="FixtureCommand"/>), so that
/// <c>peak_working_set_mb</c> is this process's alone: the connector, the sink and the state store, as deployed; the
/// child's is <c>fixture_peak_working_set_mb</c>. Its emulator runs on real time, so throttled runs wait for real.
/// <c>--warm-fixtures yes</c> (with <c>--fixtures process</c>; default no) warms that child before the run, as a real
/// Shopify and a real Affinsy are warm (<see cref="ShopifyFixtureWarmUp"/>); printed as <c>warm_fixtures</c>. The
/// connector's process is never warmed: every run is a first sync of a fresh store in a fresh process.
/// <c>bulk_wait_seconds</c> (bulk): from the export's start request to its result opened, Shopify's share (the emulator's
/// export runs <c>BulkDuration</c>, 1 s, like a small store's on Shopify) with the status poll's lag; null when none ran.
/// <c>orders_per_second_less_bulk_wait</c> = orders / (<c>seconds</c> - that), both on the source's clock (inline, the
/// virtual one, whose waits cost no wall time): the rate of everything else, connector, sink and server.
/// </summary>
internal sealed class ShopifyCommand : IBenchmarkCommand
{
    public string Name => "shopify";

    public string Description => "full sync of an emulated Shopify store: --orders N --mode bulk|graphql|rest [--throttle none|shopify] [--fixtures inline|process] [--warm-fixtures yes|no] [--temp-dir D]";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var run = ShopifyRunOptions.Parse(options);
        using var scratch = new TempDirectory();
        var dataDir = scratch.Path;
        await using var fixtures = await ShopifyFixtures.StartAsync(run, dataDir);
        var time = fixtures.Time;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var sender = new AffinsySender(http, new SinkOptions { BaseUrl = fixtures.Api, ApiKey = ReferenceSettings.LocalDevKey, RequestsPerMinute = 1_000_000 });
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(dataDir, "state.db"), TimeProvider.System, CancellationToken.None);
        var tempDir = run.TempDirectory is { } dir ? $"\ntemp_dir: \"{dir}\"" : string.Empty;
        var source = (ShopifyOrderSource)ConfiguredSource.Create(new SourceRegistry().AddShopifySource(time), "bench", $$"""
            type: shopify
            shop: bench.myshopify.com
            access_token: {{fixtures.EmulatorOptions.AccessToken}}
            base_url: {{fixtures.Shop}}
            mode: {{run.Mode}}{{tempDir}}
            """, time, baseDirectory: dataDir);
        var sync = new PipelineSync(sender, checkpoints, new JsonlDeadLetterStore(dataDir));
        var heap = HeapSampler.Start(blocking: run.BlockingHeapGc);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = run.Stage switch
        {
            "read" => await ShopifyStages.DrainAsync(source),
            "download" => await ShopifyStages.DownloadAsync(fixtures.Emulator!, source),
            _ => await sync.RunAsync("bench", "bench", source, null, CancellationToken.None),
        };
        wall.Stop();
        var waited = fixtures.Waited;
        // From the moment Shopify's result was ready to the last acknowledgement: what the connector and the sink do with it.
        double? resultSeconds = source.BulkResultOpenedAt == 0 ? null : time.GetElapsedTime(source.BulkResultOpenedAt).TotalSeconds;
        // From the export's start request to its result opened: Shopify's time (the export, its status answers) and the poll's lag.
        double? bulkWait = source.BulkStartRequestedAt == 0 || source.BulkResultOpenedAt == 0
            ? null : time.GetElapsedTime(source.BulkStartRequestedAt, source.BulkResultOpenedAt).TotalSeconds;
        var heapGrowth = await heap.StopAsync();
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"stage {run.Stage}: cpu_seconds {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F2} ({(run.SeparateFixtures ? "connector and sink only" : "connector, emulator and reference server")}), wall {wall.Elapsed.TotalSeconds:F2}"));
        if (result.Outcome != SyncOutcome.Completed)
        {
            await Console.Error.WriteLineAsync($"sync {result.Outcome}: {result.Error}");
            return 1;
        }

        var measured = new Measured(result, wall.Elapsed, waited, resultSeconds, bulkWait, heapGrowth, heap.Samples, source.BulkSpillBytes, source.BulkSpillTime);
        Console.WriteLine(ResultLine(run, fixtures.EmulatorOptions, measured, await fixtures.CountersAsync()));
        return 0;
    }

    /// <summary>The one JSON line: throughput, limit use, memory and the bulk reader's timings.</summary>
    private static string ResultLine(ShopifyRunOptions run, ShopifyEmulatorOptions emulator, Measured m, ShopifyCounters counters)
    {
        var seconds = m.Wall.TotalSeconds + m.Waited.TotalSeconds;
        double? efficiency = run.Mode switch
        {
            "graphql" when run.Throttle => counters.PointsSpent / (emulator.CostBucket + (emulator.CostRestorePerSecond * seconds)),
            "rest" when run.Throttle => counters.RestRequests / (emulator.CallBucket + (emulator.CallBucket / 20.0 * seconds)),
            _ => null,
        };
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        var orders = m.Result.OrdersRead;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"orders\":{orders},\"seconds\":{seconds:F3},\"orders_per_second\":{orders / seconds:F0},\"limit_efficiency\":{Json(efficiency, "F3")},\"throttle_violations\":{counters.ThrottleViolations},"
            + $"\"peak_working_set_mb\":{peak:F0},\"fixtures\":\"{(run.SeparateFixtures ? "process" : "inline")}\",\"warm_fixtures\":{(run.WarmFixtures ? "true" : "false")},\"fixture_peak_working_set_mb\":{Json(counters.FixturePeakMb, "F0")},"
            + $"\"peak_live_heap_growth_mb\":{m.HeapGrowth:F1},\"heap_samples\":{m.HeapSamples},\"wall_seconds\":{m.Wall.TotalSeconds:F3},\"export_seconds\":{counters.ExportSeconds:F3},"
            + $"\"connector_orders_per_second\":{orders / (m.Wall.TotalSeconds - counters.ExportSeconds):F0},\"waited_seconds\":{m.Waited.TotalSeconds:F3},\"seeded_orders\":{run.Orders},"
            + $"\"temp_disk_mb\":{m.SpillBytes / (1024.0 * 1024.0):F1},\"result_seconds\":{Json(m.ResultSeconds, "F3")},\"result_orders_per_second\":{Json(orders / m.ResultSeconds, "F0")},\"spill_seconds\":{m.SpillTime.TotalSeconds:F3},"
            + $"\"bulk_wait_seconds\":{Json(m.BulkWait, "F3")},\"orders_per_second_less_bulk_wait\":{Json(orders / (seconds - m.BulkWait), "F0")}}}");
    }

    private static string Json(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "null";

    /// <summary>What one run measured, for <see cref="ResultLine"/>.</summary>
    private sealed record Measured(
        SyncResult Result, TimeSpan Wall, TimeSpan Waited, double? ResultSeconds, double? BulkWait, double HeapGrowth, int HeapSamples, long SpillBytes, TimeSpan SpillTime);
}
