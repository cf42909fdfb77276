using System.Diagnostics;
using System.Globalization;
using Affinsy.Connectors.WooCommerce;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Emulators.WooCommerce;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>woocommerce --orders N [--host-rate R] [--page-size 100] [--fixtures inline|process]</c>: a full-history sync from the WooCommerce
/// emulator (seeded store of N orders) into an unthrottled reference server. With a host rate the store answers 429
/// past R requests per second and the connector is capped at R; <c>limit_efficiency</c> is the request rate achieved
/// over R (1.0 = the host's whole allowance used, with no violations wanted). <c>--fixtures process</c> runs the
/// emulator and the server in a child process (<see cref="FixtureCommand"/>), so that <c>peak_working_set_mb</c> is
/// the connector's, the sink's and the state store's alone; the child's is <c>fixture_peak_working_set_mb</c>.
/// </summary>
internal sealed class WooCommerceCommand : IBenchmarkCommand
{
    public string Name => "woocommerce";

    public string Description => "full WooCommerce history from the emulator into a reference server";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var orders = (int)options.Long("orders", 10_000);
        var hostRate = options.Double("host-rate", 0);
        var pageSize = (int)options.Long("page-size", 100);
        using var scratch = new TempDirectory();
        var stateDir = scratch.Path;
        var separate = (options.String("fixtures") ?? "inline") == "process";
        var (store, affinsy, fixtures, site, api) = await StartFixturesAsync(separate, orders, hostRate, stateDir);
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(stateDir, "state.db"), TimeProvider.System, CancellationToken.None);
        using var affinsyHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var rate = hostRate > 0 ? $"\nrequests_per_second: {hostRate.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        var source = ConfiguredSource.Create(new SourceRegistry().AddWooCommerceSource(), "woo-bench", $$"""
            type: woocommerce
            url: {{site}}
            allow_insecure_http: true
            consumer_key: {{WooCommerceEmulator.ConsumerKey}}
            consumer_secret: {{WooCommerceEmulator.ConsumerSecret}}
            page_size: {{pageSize.ToString(CultureInfo.InvariantCulture)}}{{rate}}
            """);
        var sender = new AffinsySender(affinsyHttp, new SinkOptions { BaseUrl = api, ApiKey = ReferenceSettings.LocalDevKey, RequestsPerMinute = 1_000_000 });
        var sync = new PipelineSync(sender, checkpoints, new JsonlDeadLetterStore(stateDir));

        var heap = HeapSampler.Start(blocking: options.String("heap-gc") == "blocking");
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await sync.RunAsync("woo-bench", "woo-bench", source, null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var heapGrowth = await heap.StopAsync();
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cpu_seconds {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F2} ({(separate ? "connector and sink only" : "connector, emulator and reference server")})"));
        if (result.Outcome != SyncOutcome.Completed)
        {
            await Console.Error.WriteLineAsync($"sync {result.Outcome}: {result.Error}");
            return 1;
        }

        var (requests, violations, fixturePeak) = await StopFixturesAsync(store, affinsy, fixtures);
        var efficiency = hostRate > 0 ? (requests / seconds / hostRate).ToString("F3", CultureInfo.InvariantCulture) : "null";
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"orders\":{orders},\"seconds\":{seconds:F3},\"orders_per_second\":{orders / seconds:F0},\"limit_efficiency\":{efficiency},"
            + $"\"peak_working_set_mb\":{peak:F0},\"fixtures\":\"{(separate ? "process" : "inline")}\",\"fixture_peak_working_set_mb\":{(fixturePeak is { } f ? f.ToString("F0", CultureInfo.InvariantCulture) : "null")},"
            + $"\"peak_live_heap_growth_mb\":{heapGrowth:F1},\"heap_samples\":{heap.Samples},\"orders_sent\":{result.OrdersSent},\"store_requests\":{requests},\"rate_limit_violations\":{violations}}}"));
        return 0;
    }

    /// <summary>
    /// The emulator (all N orders in memory) and the server: in this process, or in a child so that this process's
    /// memory is the connector's and the sink's.
    /// </summary>
    private static async Task<(WooCommerceEmulator? Store, ReferenceServer? Affinsy, FixtureProcess? Fixtures, Uri Site, Uri Api)> StartFixturesAsync(
        bool separate, int orders, double hostRate, string stateDir)
    {
        if (separate)
        {
            var fixtures = await FixtureProcess.StartAsync(["woocommerce", "--orders", orders.ToString(CultureInfo.InvariantCulture), "--host-rate", hostRate.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            return (null, null, fixtures, fixtures.Source, fixtures.Api);
        }

        var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(orders), CancellationToken.None);
        if (hostRate > 0)
        {
            store.HostRateLimit = (int)Math.Floor(hostRate);
        }

        var affinsy = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(stateDir, "server"));
        return (store, affinsy, null, store.SiteUrl, affinsy.ApiBase);
    }

    /// <summary>The store's request and 429 counts (and the child's peak working set), then the fixtures stopped.</summary>
    private static async Task<(long Requests, long Violations, double? FixturePeak)> StopFixturesAsync(WooCommerceEmulator? store, ReferenceServer? affinsy, FixtureProcess? fixtures)
    {
        if (fixtures is not null)
        {
            using var stats = await fixtures.StatsAsync(CancellationToken.None);
            var result = (stats.RootElement.GetProperty("store_requests").GetInt64(), stats.RootElement.GetProperty("rate_limit_violations").GetInt64(), (double?)stats.RootElement.GetProperty("peak_working_set_mb").GetDouble());
            await fixtures.DisposeAsync();
            return result;
        }

        var counts = ((long)store!.Requests.Count, store.RateLimitViolations, (double?)null);
        await affinsy!.DisposeAsync();
        await store.DisposeAsync();
        return counts;
    }
}
