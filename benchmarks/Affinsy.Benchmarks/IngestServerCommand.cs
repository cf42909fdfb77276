using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Affinsy.Reference;
using Affinsy.Reference.Config;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>ingest-server --line-items N [--in-flight 2]</c>: the reference server's own ingest speed. Request bodies
/// of 10,000 line items are built before the clock starts, then pushed straight over loopback HTTP to a
/// server it starts on a temporary SQLite file with no rate limit.
/// </summary>
internal sealed class IngestServerCommand : IBenchmarkCommand
{
    public string Name => "ingest-server";

    public string Description => "push N line items straight to a reference server: its ingest throughput";

    public async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var lineItems = options.Long("line-items", 1_000_000);
        var inFlight = (int)options.Long("in-flight", 2);
        var dataDir = Path.Combine(Path.GetTempPath(), "affinsy-bench-" + Guid.NewGuid().ToString("N"));
        var settings = ReferenceSettings.LocalDefault() with
        {
            Limits = new ServerLimits { RequestsPerWindow = 1_000_000, MaxInFlightPerKey = inFlight },
        };
        await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { DataDirectory = dataDir, Settings = settings, Logging = _ => { } }, CancellationToken.None);
        var bodies = Bodies(lineItems).ToList();
        using var http = new HttpClient { BaseAddress = server.ApiBase, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReferenceSettings.LocalDevKey);

        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("data/orders", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"push {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        // CPU time of client and server together: comparable across runs on a busy machine, unlike wall time.
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cpu_seconds {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F2} (client and server)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"line_items\":{lineItems},\"seconds\":{seconds:F3},\"line_items_per_second\":{lineItems / seconds:F0}}}"));
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

    /// <summary>Requests of 10,000 line items: orders of 1-6 lines, 500 customers, 2,000 products.</summary>
    private static IEnumerable<byte[]> Bodies(long lineItems)
    {
        var random = new Random(42);
        long made = 0, order = 0;
        while (made < lineItems)
        {
            var sb = new StringBuilder("{\"dataset_id\":\"bench\",\"orders\":[");
            var inRequest = 0;
            while (made < lineItems)
            {
                var lines = (int)Math.Min(random.Next(1, 7), lineItems - made);
                if (inRequest + lines > 10_000)
                {
                    break;
                }

                sb.Append(inRequest == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $"{{\"order_id\":\"o{order++}\",\"customer_id\":\"c{random.Next(500)}\",\"order_date\":\"2025-0{random.Next(1, 10)}-1{random.Next(0, 10)}T10:00:00Z\",\"line_items\":[");
                for (var l = 0; l < lines; l++)
                {
                    sb.Append(l == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                        $"{{\"product_name\":\"Product {l * 300 + random.Next(300)}\",\"unit_price\":{random.Next(100, 5000) / 100.0},\"quantity\":{random.Next(1, 4)}}}");
                }

                sb.Append("]}");
                inRequest += lines;
                made += lines;
            }

            yield return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        }
    }
}
