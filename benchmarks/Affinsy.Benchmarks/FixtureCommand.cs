using System.Diagnostics;
using System.Globalization;
using Affinsy.Testing;
using Affinsy.Emulators.Shopify;
using Affinsy.Emulators.WooCommerce;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>fixtures shopify|woocommerce --orders N [--host-rate R] [--warm yes]</c>: the other side of a benchmark, in a process of its
/// own: the store emulator (holding its whole seeded store) and an unthrottled reference server on a temporary SQLite
/// file. (<c>fixtures kafka</c>: the mock broker with the backlog produced, and the server; see KafkaCommand.) A connector benchmark run with <c>--fixtures process</c> starts this, so that its own working set is the
/// connector's and the sink's alone, as in a deployment where the store and Affinsy are remote. Protocol on stdio:
/// one JSON line when ready (<c>{"source":url,"api":url}</c>); then each <c>stats</c> line read is answered by one JSON
/// line of counters; end of input stops it. <c>--warm yes</c> (shopify): first one throwaway sync through throwaway
/// fixtures (<see cref="ShopifyFixtureWarmUp"/>), so the measured ones answer as warm servers do.
/// </summary>
internal sealed class FixtureCommand : IBenchmarkCommand
{
    public string Name => "fixtures";

    public string Description => "(internal) store emulator + reference server for --fixtures process";

    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("shopify" or "woocommerce" or "kafka"))
        {
            await Console.Error.WriteLineAsync("usage: fixtures shopify|woocommerce --orders N [--host-rate R] | kafka --messages N --format F --topics K --warmup W");
            return 2;
        }

        if (args[0] == "kafka")
        {
            return await KafkaCommand.ServeFixturesAsync(new BenchmarkArgs(args[1..]));
        }

        var options = new BenchmarkArgs(args[1..]);
        var orders = (int)options.Long("orders", 10_000);
        if (args[0] == "shopify" && options.String("warm") == "yes")
        {
            await ShopifyFixtureWarmUp.RunAsync(CancellationToken.None);
        }

        using var dataDir = new TempDirectory();
        await using var server = await BenchmarkServer.StartUnthrottledAsync(dataDir.Path);
        Func<string> stats;
        IAsyncDisposable emulator;
        Uri source;
        if (args[0] == "shopify")
        {
            var emulatorOptions = new ShopifyEmulatorOptions { Orders = orders, Throttle = options.String("throttle") == "shopify", BulkDuration = TimeSpan.FromSeconds(1) };
            var shop = await ShopifyEmulator.StartAsync(emulatorOptions, TimeProvider.System, CancellationToken.None);
            (emulator, source) = (shop, shop.BaseUrl);
            stats = () => string.Create(CultureInfo.InvariantCulture,
                $"{{\"throttle_violations\":{shop.ThrottleViolations},\"points_spent\":{shop.PointsSpent},\"rest_requests\":{shop.RestRequests},\"export_seconds\":{shop.ExportTime.TotalSeconds:F3},{Common()}}}");
        }
        else
        {
            var store = await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(orders), CancellationToken.None);
            var hostRate = options.Double("host-rate", 0);
            if (hostRate > 0)
            {
                store.HostRateLimit = (int)Math.Floor(hostRate);
            }

            (emulator, source) = (store, store.SiteUrl);
            stats = () => string.Create(CultureInfo.InvariantCulture,
                $"{{\"store_requests\":{store.Requests.Count},\"rate_limit_violations\":{store.RateLimitViolations},{Common()}}}");
        }

        await using (emulator)
        {
            Console.WriteLine($"{{\"source\":\"{source}\",\"api\":\"{server.ApiBase}\"}}");
            while (await Console.In.ReadLineAsync() is { } line)
            {
                if (line == "stats")
                {
                    Console.WriteLine(stats());
                }
            }
        }

        return 0;
    }

    private static string Common()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"\"peak_working_set_mb\":{self.PeakWorkingSet64 / (1024.0 * 1024.0):F0},\"cpu_seconds\":{self.TotalProcessorTime.TotalSeconds:F2}");
    }
}
