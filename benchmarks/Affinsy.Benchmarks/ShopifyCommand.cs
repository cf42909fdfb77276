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
using Affinsy.Testing.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>shopify --orders N --mode bulk|graphql|rest [--throttle none|shopify]</c>: a full sync of an emulated shop of N
/// orders into a reference server (SQLite, no rate limit). With <c>--throttle shopify</c> the emulator enforces a
/// standard plan's limits (GraphQL 2,000 points restoring 100/s; REST 40 calls leaking 2/s) on a virtual clock:
/// waits cost no wall time, so <c>seconds</c> = wall time + time waited for the buckets, the duration a real shop
/// that answered as fast as the emulator would take. <c>limit_efficiency</c> = the share of the limit actually used
/// over that duration (points or calls spent / (bucket + restore x seconds)); null for bulk, which is barely metered.
/// </summary>
internal sealed class ShopifyCommand : IBenchmarkCommand
{
    public string Name => "shopify";

    public string Description => "full sync of an emulated Shopify store: --orders N --mode bulk|graphql|rest [--throttle none|shopify]";

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
        var clock = new VirtualClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var dataDir = Path.Combine(Path.GetTempPath(), "affinsy-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var emulatorOptions = new ShopifyEmulatorOptions { Orders = count, Throttle = throttle, BulkDuration = TimeSpan.FromSeconds(1) };
        await using var emulator = await ShopifyEmulator.StartAsync(emulatorOptions, clock, CancellationToken.None);
        var settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } };
        await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { DataDirectory = Path.Combine(dataDir, "server"), Settings = settings, Logging = _ => { } }, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var sender = new AffinsySender(http, new SinkOptions { BaseUrl = server.ApiBase, ApiKey = ReferenceSettings.LocalDevKey, RequestsPerMinute = 1_000_000 });
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(dataDir, "state.db"), TimeProvider.System, CancellationToken.None);
        var source = new ShopifyOrderSource(
            new ShopifySourceOptions { Shop = "bench.myshopify.com", AccessToken = emulatorOptions.AccessToken, BaseUrl = emulator.BaseUrl, Mode = mode },
            new SourceContext("bench", "bench", dataDir, clock, NullLoggerFactory.Instance));
        var sync = new PipelineSync(sender, checkpoints, new JsonlDeadLetterStore(dataDir));

        var wall = Stopwatch.StartNew();
        var result = await sync.RunAsync("bench", "bench", source, null, CancellationToken.None);
        var seconds = wall.Elapsed.TotalSeconds + clock.Elapsed.TotalSeconds;
        if (result.Outcome != SyncOutcome.Completed)
        {
            await Console.Error.WriteLineAsync($"sync {result.Outcome}: {result.Error}");
            return 1;
        }

        double? efficiency = mode switch
        {
            ShopifyReadMode.GraphQL when throttle => emulator.PointsSpent / (emulatorOptions.CostBucket + (emulatorOptions.CostRestorePerSecond * seconds)),
            ShopifyReadMode.Rest when throttle => emulator.RestRequests / (emulatorOptions.CallBucket + (emulatorOptions.CallBucket / 20.0 * seconds)),
            _ => null,
        };
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"orders\":{result.OrdersRead},\"seconds\":{seconds:F3},\"orders_per_second\":{result.OrdersRead / seconds:F0},\"limit_efficiency\":{(efficiency is { } e ? e.ToString("F3", CultureInfo.InvariantCulture) : "null")},\"throttle_violations\":{emulator.ThrottleViolations},\"peak_working_set_mb\":{peak:F0},\"wall_seconds\":{wall.Elapsed.TotalSeconds:F3},\"waited_seconds\":{clock.Elapsed.TotalSeconds:F3},\"seeded_orders\":{count}}}"));
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }

        return 0;
    }
}
