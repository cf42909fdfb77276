using System.Globalization;
using Affinsy.Emulators.Shopify;
using Affinsy.Reference;

namespace Affinsy.Benchmarks;

/// <summary>
/// The emulated shop and the reference server of a <c>shopify</c> run: in this process on a virtual clock, or in a child
/// process (<see cref="FixtureCommand"/>) on real time, so that this process's memory is the connector's and the sink's.
/// </summary>
internal sealed class ShopifyFixtures : IAsyncDisposable
{
    private readonly ShopifyEmulator? _emulator;
    private readonly ReferenceServer? _server;
    private readonly FixtureProcess? _process;

    private ShopifyFixtures(ShopifyEmulatorOptions emulatorOptions, VirtualClock clock, ShopifyEmulator? emulator, ReferenceServer? server, FixtureProcess? process, Uri shop, Uri api)
    {
        (EmulatorOptions, Clock, _emulator, _server, _process, Shop, Api) = (emulatorOptions, clock, emulator, server, process, shop, api);
    }

    public ShopifyEmulatorOptions EmulatorOptions { get; }

    /// <summary>The inline emulator's clock: throttled waits advance it instead of costing wall time.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The emulator in this process (the <c>download</c> stage fetches its result again); null in a child.</summary>
    public ShopifyEmulator? Emulator => _emulator;

    public Uri Shop { get; }

    public Uri Api { get; }

    /// <summary>The clock the source runs on: the virtual one inline, real time with a child process.</summary>
    public TimeProvider Time => _process is null ? Clock : TimeProvider.System;

    /// <summary>The time waited for the buckets on the virtual clock (zero with a child, whose waits cost wall time).</summary>
    public TimeSpan Waited => _process is null ? Clock.Elapsed : TimeSpan.Zero;

    public static async Task<ShopifyFixtures> StartAsync(ShopifyRunOptions run, string dataDir)
    {
        // 2026-12-02: the default version (2026-10) is served as asked and bulk results are ungrouped (groupObjects false).
        var clock = new VirtualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)) { FlowsWithRealTime = true };
        var emulatorOptions = new ShopifyEmulatorOptions { Orders = run.Orders, Throttle = run.Throttle, BulkDuration = TimeSpan.FromSeconds(1) };
        if (run.SeparateFixtures)
        {
            // The emulator and the server in a child process: this process's memory is the connector's and the sink's.
            // The child's clock is real time, so throttled waits cost wall time there.
            var process = await FixtureProcess.StartAsync(
                ["shopify", "--orders", run.Orders.ToString(CultureInfo.InvariantCulture), "--throttle", run.Throttle ? "shopify" : "none", "--warm", run.WarmFixtures ? "yes" : "no"],
                CancellationToken.None);
            return new ShopifyFixtures(emulatorOptions, clock, null, null, process, process.Source, process.Api);
        }

        var emulator = await ShopifyEmulator.StartAsync(emulatorOptions, clock, CancellationToken.None);
        var server = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(dataDir, "server"));
        return new ShopifyFixtures(emulatorOptions, clock, emulator, server, null, emulator.BaseUrl, server.ApiBase);
    }

    /// <summary>What the emulator counted, wherever it ran; the fixture process's peak working set when it had one.</summary>
    public async Task<ShopifyCounters> CountersAsync()
    {
        if (_emulator is not null)
        {
            return new ShopifyCounters(_emulator.ThrottleViolations, _emulator.PointsSpent, _emulator.RestRequests, _emulator.ExportTime.TotalSeconds, null);
        }

        using var stats = await _process!.StatsAsync(CancellationToken.None);
        var root = stats.RootElement;
        return new ShopifyCounters(
            root.GetProperty("throttle_violations").GetInt32(),
            root.GetProperty("points_spent").GetDouble(),
            root.GetProperty("rest_requests").GetInt32(),
            root.GetProperty("export_seconds").GetDouble(),
            root.GetProperty("peak_working_set_mb").GetDouble());
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}

/// <summary>What the emulator counted during a run.</summary>
internal sealed record ShopifyCounters(int ThrottleViolations, double PointsSpent, int RestRequests, double ExportSeconds, double? FixturePeakMb);
