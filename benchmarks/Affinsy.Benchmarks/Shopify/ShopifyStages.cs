using System.Diagnostics;
using System.Globalization;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Emulators.Shopify;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Benchmarks;

/// <summary>The <c>shopify</c> benchmark's partial stages: <c>--stage read</c> (no sink) and <c>--stage download</c> (no connector).</summary>
internal static class ShopifyStages
{
    /// <summary>The connector alone: every batch read and dropped, no sink.</summary>
    public static async Task<SyncResult> DrainAsync(ShopifyOrderSource source)
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
    public static async Task<SyncResult> DownloadAsync(ShopifyEmulator emulator, ShopifyOrderSource source)
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
            await ParseFromMemoryAsync(jsonl);
        }

        return read;
    }

    /// <summary>One round of the bulk reader's two passes over a result held in memory: parse each line once and spill it with its fields, then reassemble from the stored fields, map and normalize.</summary>
    private static async Task ParseFromMemoryAsync(byte[] jsonl)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var parse = Stopwatch.StartNew();
        var builder = new BatchBuilder(new ShopifyMappingOptions(), new SkipCounter());
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
        var units = new SpilledOrders(spill);
        while (units.MoveNext())
        {
            units.Feed(parser);
            if (builder.Count >= 1000)
            {
                orders += builder.Take(null).Normalize().Orders.Count;
            }
        }

        orders += builder.Take(null).Normalize().Orders.Count;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"parse+map+normalize alone: {orders} orders, {lineNumber} lines, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s (pass 1, parse and spill: {pass1:F2} s), wall {parse.Elapsed.TotalSeconds:F2} s"));
    }
}
