using System.Diagnostics;
using System.Globalization;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Reference.Reports;
using Affinsy.Testing;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>crash-soak --line-items N [--seed S] [--error-rate E --timeout-rate T] [--ledger 1] [--batch-max-orders B]</c>:
/// the real host (<c>sync --wait</c>) syncs a CSV export of N line items into a reference server that answers a share
/// of requests 5xx before applying them and a share 504 after applying them, and is SIGKILLed a seeded random
/// 2-6 s after its first request reaches the server, again and again, until a sync exits 0. The dataset must then
/// equal the file exactly. Prints how many line items the server applied in all (<c>resent_fraction</c>: the share applied
/// more than once) and how many it answered 504 after applying them (<c>answered_504</c>). Since the sink no longer
/// re-sends Affinsy's own 504 (the API documents the import completes), the extra applications are what kills re-sent
/// (a 504'd request whose answer the killed process never read included); a client that retried 504s re-applied each.
/// </summary>
/// <remarks>
/// The kill clock starts at the first request, not at process start: a killed sync's lease holds the pipeline for
/// 30 s (<c>PipelineLeases.ExpiresAfter</c>), which <c>--wait</c> waits out, and a clock running through that wait
/// would kill every later sync before it sent anything.
/// </remarks>
internal sealed class CrashSoakCommand : IBenchmarkCommand
{
    private const string Key = "afn_soak_key";
    private const string Dataset = "shop";
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public string Name => "crash-soak";

    public string Description => "the real host syncs a CSV into a faulty server and is SIGKILLed repeatedly: how much is re-sent";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var lineItems = options.Long("line-items", 200_000);
        var seed = (int)options.Long("seed", 1);
        var minKill = options.Double("min-kill-seconds", 2);
        var maxKill = options.Double("max-kill-seconds", 6);
        var maxRuns = (int)options.Long("max-runs", 200);
        var orders = (int)(lineItems / IngestResyncCommand.LinesPerOrder);
        using var scratch = new TempDirectory();
        var dir = scratch.Path;
        await IngestResyncCommand.WriteExportAsync(Path.Combine(dir, "orders.csv"), orders, changeEvery: null);
        var settings = ReferenceSettingsLoader.Parse(
            $"users: [{{ id: local, plan: enterprise, keys: [{Key}] }}]\n"
            + "limits: { requests_per_window: 1000000 }\n"
            + string.Create(CultureInfo.InvariantCulture,
                $"faults: {{ error_rate: {options.Double("error-rate", 0.2)}, timeout_rate: {options.Double("timeout-rate", 0.1)}, seed: {seed} }}\n"),
            "crash-soak");
        await using var server = await ReferenceServer.StartAsync(
            new ReferenceServerOptions { DataDirectory = Path.Combine(dir, "server"), Settings = settings, Logging = _ => { } }, CancellationToken.None);
        WriteConfig(dir, server, options);

        var clock = Stopwatch.StartNew();
        var (done, runs, kills, failedRuns) = await KillUntilDoneAsync(dir, server, new Random(seed), minKill, maxKill, maxRuns);
        var seconds = clock.Elapsed.TotalSeconds;
        var (stored, mismatch) = Verify(server, orders);
        if (!done || mismatch is not null || stored != lineItems)
        {
            await Console.Error.WriteLineAsync($"not exact after {runs} runs (completed: {done}): {stored} of {lineItems} rows stored; {mismatch}");
            return 1;
        }

        var inserted = server.Store.RowsInserted.Value;
        var applied = (long)inserted + server.Store.RowsUpdated.Value;
        var answered504 = server.Ingest.LineItemsAnswered504.Value;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"line_items\":{lineItems},\"seed\":{seed},\"kills\":{kills},\"failed_runs\":{failedRuns},\"seconds\":{seconds:F1},"
            + $"\"unique_line_items\":{inserted},\"applied_line_items\":{applied},\"resent_fraction\":{(double)(applied - lineItems) / lineItems:F4},"
            + $"\"answered_504\":{answered504},\"of_which_over_concurrency\":{server.Ingest.LineItemsAnswered504OverConcurrency.Value},"
            + $"\"requests_admitted\":{server.Gate.IngestsAdmitted.Value}}}"));
        return 0;
    }

    /// <summary>Runs <c>sync --wait</c> again and again, each killed a random while after its first request, until one exits 0.</summary>
    private static async Task<(bool Done, int Runs, int Kills, int FailedRuns)> KillUntilDoneAsync(
        string dir, ReferenceServer server, Random random, double minKill, double maxKill, int maxRuns)
    {
        var env = new Dictionary<string, string> { ["SOAK_AFFINSY_KEY"] = Key };
        int kills = 0, failedRuns = 0, runs = 0;
        var done = false;
        while (!done && runs < maxRuns)
        {
            runs++;
            using var host = HostChild.Start(dir, env, "sync", "--wait");
            var firstRequest = server.Gate.IngestsAdmitted.WhenAtLeastAsync(server.Gate.IngestsAdmitted.Value + 1);
            if (await Task.WhenAny(firstRequest, host.Exited) == firstRequest)
            {
                var killAfter = TimeSpan.FromSeconds(minKill + (random.NextDouble() * (maxKill - minKill)));
                if (await Task.WhenAny(Task.Delay(killAfter), host.Exited) != host.Exited)
                {
                    await host.KillAsync();
                    kills++;
                    continue;
                }
            }

            await host.Exited;
            done = host.ExitCode == 0;
            if (!done)
            {
                failedRuns++;
                await Console.Error.WriteLineAsync($"sync exited {host.ExitCode}; running again. Its last lines:\n{host.Tail}");
            }
        }

        return (done, runs, kills, failedRuns);
    }

    private static void WriteConfig(string dir, ReferenceServer server, BenchmarkArgs options)
    {
        var batch = options.String("batch-max-orders") is { } b ? $", batch_max_orders: {b}" : "";
        var ledger = options.Long("ledger", 1) != 0 ? "" : "\n    ledger: false";
        File.WriteAllText(Path.Combine(dir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{server.ApiBase}}
              api_key: ${SOAK_AFFINSY_KEY}
            state: { path: state/state.db }
            pipelines:
              - name: shop
                dataset_id: {{Dataset}}
                source: { type: csv, path: orders.csv{{batch}} }{{ledger}}
            """);
    }

    /// <summary>
    /// Streams the stored rows and checks each against the export's formula (<see cref="IngestResyncCommand.WriteExportAsync"/>):
    /// with (order, product) unique in the store, N matching rows are exactly the file's N rows.
    /// </summary>
    private static (long Stored, string? Mismatch) Verify(ReferenceServer server, int orders)
    {
        string? mismatch = null;
        var stored = server.Store.ForEachLine("local", Dataset, line =>
        {
            if (mismatch is null && Expected(line, orders) is { } problem)
            {
                mismatch = problem;
            }
        });
        return (stored, mismatch);
    }

    private static string? Expected(OrderLine line, int orders)
    {
        if (!line.OrderId.StartsWith('o') || !int.TryParse(line.OrderId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= orders)
        {
            return $"unexpected order {line.OrderId}";
        }

        for (var l = 0; l < IngestResyncCommand.LinesPerOrder; l++)
        {
            var product = ((i * 7) + (l * 13)) % 5_000;
            if (line.ProductName != $"Product {product}")
            {
                continue;
            }

            var ok = line.UnitPrice == (double)(1 + ((product % 97) / 4m))
                && line.Quantity == 1 + ((i + l) % 3)
                && line.CustomerId == $"c{i % 50_000}"
                && line.OrderDate == new DateTimeOffset(Start.AddMinutes(i % 525_600));
            return ok ? null : $"row {line.OrderId}/{line.ProductName} differs from the file: {line}";
        }

        return $"unexpected product {line.ProductName} in order {line.OrderId}";
    }
}
