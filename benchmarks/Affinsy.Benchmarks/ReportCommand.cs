using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Testing;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>report</c>: builds a realistic store on a reference server (SQLite in a temporary directory, see
/// <see cref="ReportStoreBuilder"/>), then asks for one report through the API (POST /reports, polled every 20 ms) and
/// times it from the request to its Completed status.
/// </summary>
/// <remarks>
/// Peak working set is the report's: after the store is built the heap is compacted and returned to the OS, the
/// kernel's peak-RSS mark is reset (<c>/proc/self/clear_refs</c>, Linux), and VmHWM is read when the report is done.
/// <c>baseline_working_set_mb</c> is the resident set at the start of the report (runtime, server, SQLite cache).
/// <c>--keep-store DIR</c> keeps the built store in DIR (one subdirectory per size and seed) and reuses it on the next
/// run, since building 3M line items takes minutes and the report is what is measured.
/// </remarks>
internal sealed class ReportCommand : IBenchmarkCommand
{
    private const string BuiltMarker = "report-store-built.txt";

    public string Name => "report";

    public string Description =>
        "--line-items N --template standard_mba|standard_rfm|... [--seed S (19)] [--runs R (1)] [--keep-store DIR]: time one report over a Zipf store";

    public async Task<int> RunAsync(string[] args)
    {
        long lineItems;
        string template;
        int seed, runs;
        string? keepStore;
        try
        {
            var options = new BenchmarkArgs(args);
            lineItems = options.Long("line-items", 1_000_000);
            template = options.Required("template");
            seed = checked((int)options.Long("seed", 19));
            runs = checked((int)options.Long("runs", 1));
            keepStore = options.String("keep-store");
            if (lineItems < 1 || runs < 1)
            {
                throw new ArgumentException("--line-items and --runs must be at least 1");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"report: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        using var temp = keepStore is null ? new TempDirectory() : null;
        var dataDirectory = temp?.Path ?? KeptStore(keepStore!, lineItems, seed);
        await using var server = await BenchmarkServer.StartUnthrottledAsync(dataDirectory).ConfigureAwait(false);
        var (stored, buildSeconds) = await BuildOrReuseAsync(server, dataDirectory, lineItems, seed, keep: temp is null).ConfigureAwait(false);

        using var http = new HttpClient { BaseAddress = server.ApiBase };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReferenceSettings.LocalDevKey);
        var process = Process.GetCurrentProcess();
        var best = double.MaxValue;
        double cpu = 0, peakMb = 0, baselineMb = 0, serverSeconds = 0;
        string? status = null;
        for (var run = 0; run < runs; run++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            ResetPeakResidentSet();
            baselineMb = ResidentMb("VmRSS:");
            process.Refresh();
            var cpuAtStart = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            (status, serverSeconds) = await RunReportAsync(http, template).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            if (seconds < best)
            {
                best = seconds;
                cpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds;
                peakMb = ResidentMb("VmHWM:");
            }
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"line_items\":{stored},\"template\":\"{template}\",\"status\":\"{status}\",\"report_seconds\":{best:0.###},\"server_seconds\":{serverSeconds:0.###},\"report_cpu_seconds\":{cpu:0.###},\"peak_working_set_mb\":{peakMb:0.#},\"baseline_working_set_mb\":{baselineMb:0.#},\"build_seconds\":{buildSeconds:0.#},\"runs\":{runs}}}"));
        return status == "Completed" ? 0 : 1;
    }

    /// <summary>The kept store's directory for this size and seed; one left by a build that did not finish is removed.</summary>
    private static string KeptStore(string keepStore, long lineItems, int seed)
    {
        var directory = Path.Combine(keepStore, string.Create(CultureInfo.InvariantCulture, $"{lineItems}-seed{seed}"));
        if (!File.Exists(Path.Combine(directory, BuiltMarker)) && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Builds the store, or reads how many rows a kept one holds (build_seconds 0); a kept store is marked built last.</summary>
    private static async Task<(long Stored, double BuildSeconds)> BuildOrReuseAsync(ReferenceServer server, string directory, long lineItems, int seed, bool keep)
    {
        var marker = Path.Combine(directory, BuiltMarker);
        if (keep && File.Exists(marker))
        {
            return (long.Parse(await File.ReadAllTextAsync(marker).ConfigureAwait(false), CultureInfo.InvariantCulture), 0);
        }

        var clock = Stopwatch.StartNew();
        var stored = await ReportStoreBuilder.BuildAsync(server, "bench", lineItems, seed).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        if (keep)
        {
            await File.WriteAllTextAsync(marker, stored.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        return (stored, seconds);
    }

    private static async Task<(string Status, double ServerSeconds)> RunReportAsync(HttpClient http, string template)
    {
        using var body = new StringContent($$"""{"dataset_id":"bench","template":"{{template}}"}""", Encoding.UTF8, "application/json");
        using var started = await http.PostAsync(new Uri("reports", UriKind.Relative), body).ConfigureAwait(false);
        using var startedJson = JsonDocument.Parse(await started.Content.ReadAsStringAsync().ConfigureAwait(false));
        var id = startedJson.RootElement.GetProperty("report_id").GetString()!;
        while (true)
        {
            await Task.Delay(20).ConfigureAwait(false);
            // The whole answer is parsed once, from its UTF-8 bytes as they arrive (no string of the 6 MB of RFM results).
            using var answer = await http.GetAsync(new Uri($"reports/{id}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            await using var stream = await answer.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(stream).ConfigureAwait(false);
            var report = json.RootElement;
            var status = report.GetProperty("status").GetString()!;
            if (status != "Processing")
            {
                var created = report.GetProperty("created_at").GetDateTimeOffset();
                var completed = report.GetProperty("completed_at").GetDateTimeOffset();
                return (status, (completed - created).TotalSeconds);
            }
        }
    }

    // Writing 5 to clear_refs resets the kernel's peak resident set (VmHWM) to the current one (Linux 4.0+).
    private static void ResetPeakResidentSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Elsewhere the peak is the whole process's.
        }
    }

    private static double ResidentMb(string field)
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
