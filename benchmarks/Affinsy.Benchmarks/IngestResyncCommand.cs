using System.Diagnostics;
using System.Globalization;
using System.Text;
using Affinsy.Connectors.Files;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>ingest-resync --line-items N --changed-percent P [--requests-per-window R --window-seconds W]</c>: a CSV export of
/// N line items (orders of 4 lines) synced through the real file source, sink and SQLite state (with its order ledger)
/// into a reference server; then a copy under a new file name with P% of its orders changed, synced again. The
/// second sync must send only the changed orders. Unthrottled by default (the ratio only grows under the API's real
/// limit of 60 requests a minute, where the first sync of 1M line items alone takes 100 s). <c>--ledger 0</c> runs
/// both syncs without the ledger, for the figures before.
/// </summary>
internal sealed class IngestResyncCommand : IBenchmarkCommand
{
    internal const int LinesPerOrder = 4;
    private const int Unlimited = 1_000_000;

    public string Name => "ingest-resync";

    public string Description => "sync a CSV export, then a renamed copy with a few orders changed: the order ledger sends only those";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var lineItems = options.Long("line-items", 1_000_000);
        var changedPercent = options.Double("changed-percent", 1);
        var requestsPerWindow = (int)options.Long("requests-per-window", 0);
        var windowSeconds = (int)options.Long("window-seconds", 60);
        var limited = requestsPerWindow > 0;
        var useLedger = options.Long("ledger", 1) != 0;
        using var scratch = new TempDirectory();
        var dir = scratch.Path;
        var orders = (int)(lineItems / LinesPerOrder);
        var everyNth = Math.Max(1, (int)Math.Round(100 / changedPercent));
        await WriteExportAsync(Path.Combine(dir, "export-1.csv"), orders, changeEvery: null);
        await WriteExportAsync(Path.Combine(dir, "export-2.csv"), orders, changeEvery: everyNth);
        var settings = ReferenceSettings.LocalDefault() with
        {
            Limits = new ServerLimits { RequestsPerWindow = limited ? requestsPerWindow : Unlimited, WindowSeconds = windowSeconds, MaxInFlightPerKey = 2 },
        };

        await using var server = await ReferenceServer.StartAsync(
            new ReferenceServerOptions { DataDirectory = Path.Combine(dir, "server"), Settings = settings, Logging = _ => { } }, CancellationToken.None);
        await using var state = await SqliteStateBackend.OpenAsync(new StateSettings { Path = Path.Combine(dir, "state", "state.db") }, TimeProvider.System, CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var sender = new AffinsySender(http, new SinkOptions
        {
            BaseUrl = server.ApiBase,
            ApiKey = ReferenceSettings.LocalDevKey,
            RequestsPerMinute = limited ? requestsPerWindow : Unlimited,
            Window = TimeSpan.FromSeconds(windowSeconds),
        });
        var sync = new PipelineSync(sender, state.Checkpoints, state.DeadLetters, ledger: useLedger ? state.Ledger : null);

        var (first, firstSeconds) = await TimeAsync(() => sync.RunAsync("bench", "bench", Csv(dir, "export-1.csv"), null, CancellationToken.None));
        var (second, secondSeconds) = await TimeAsync(() => sync.RunAsync("bench", "bench", Csv(dir, "export-2.csv"), null, CancellationToken.None));
        var expectedChanged = useLedger ? (orders + everyNth - 1) / everyNth : orders;
        if (first.Outcome != SyncOutcome.Completed || second.Outcome != SyncOutcome.Completed || second.OrdersSent != expectedChanged)
        {
            await Console.Error.WriteLineAsync($"first {first.Outcome} ({first.Error}), second {second.Outcome} ({second.Error}): sent {second.OrdersSent} orders, expected {expectedChanged}");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"line_items\":{lineItems},\"orders\":{orders},\"first_seconds\":{firstSeconds:F3},\"first_line_items_sent\":{first.LineItemsSent},"
            + $"\"second_seconds\":{secondSeconds:F3},\"second_orders_sent\":{second.OrdersSent},\"second_line_items_sent\":{second.LineItemsSent},"
            + $"\"second_orders_unchanged\":{second.OrdersUnchanged},\"second_over_first\":{secondSeconds / firstSeconds:F3}}}"));
        return 0;
    }

    private static IOrderSource Csv(string dir, string name) => CsvSources.Open(Path.Combine(dir, name));

    private static async Task<(SyncResult Result, double Seconds)> TimeAsync(Func<Task<SyncResult>> sync)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await sync();
        var seconds = clock.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sync: {seconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU (client and server), {result.OrdersSent} orders sent, {result.OrdersUnchanged} unchanged"));
        return (result, seconds);
    }

    /// <summary>The export: order o{i} of 4 products; with <paramref name="changeEvery"/>, every n-th order's first quantity is one more.</summary>
    internal static async Task WriteExportAsync(string path, int orders, int? changeEvery)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteAsync("order_id,product_name,unit_price,quantity,customer_id,order_date\n");
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < orders; i++)
        {
            var date = start.AddMinutes(i % 525_600).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            for (var line = 0; line < LinesPerOrder; line++)
            {
                var product = (i * 7 + line * 13) % 5_000;
                var quantity = 1 + ((i + line) % 3) + (line == 0 && changeEvery is { } n && i % n == 0 ? 1 : 0);
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"o{i},Product {product},{1 + (product % 97) / 4m},{quantity},c{i % 50_000},{date}\n"));
            }
        }
    }
}
