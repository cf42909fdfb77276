using System.Diagnostics;
using System.Globalization;
using Affinsy.Emulators.DemoStore;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// The "try it" path through the real executable: <c>emulate</c> in one process, its printed pipeline pasted into a
/// configuration, <c>sync</c> in another process against a reference server, then Ctrl+C (SIGINT) for the emulator.
/// </summary>
public sealed class EmulateTests : SyncFixture
{
    private const int Orders = 400;
    private const int Seed = 7;

    /// <summary>The line <c>emulate</c> prints once it serves, as a script waiting on it reads it from stdout.</summary>
    private const string ReadyLine = "Ready: serving until Ctrl+C.";

    [Theory]
    [InlineData("shopify", "http://127.0.0.1:0", "shop-demo")]
    [InlineData("woocommerce", "http://127.0.0.1:0", "woo-demo")]
    [InlineData("kafka", "tcp://127.0.0.1:0", "kafka-demo")]
    public async Task Sync_of_the_printed_pipeline_lands_every_order_the_emulator_sells_and_Ctrl_C_ends_it_with_0(string provider, string urls, string pipeline)
    {
        await StartServerAsync();
        using var emulator = HostProcess.Start(WorkDir, null, "emulate", provider,
            "--orders", Orders.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--urls", urls);
        await emulator.WaitForLineAsync(l => l == ReadyLine, TimeSpan.FromMinutes(1));
        var printed = PrintedPipeline(emulator.Stdout);
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
            state: { path: state/state.db }
            pipelines:
            {{printed}}
            """);

        var sync = await SyncAsync(pipeline);

        Assert.True(sync.ExitCode == 0, sync.Stdout + sync.Stderr + emulator.Stderr);
        var store = DemoStoreGenerator.Generate(Orders, Seed, DateTimeOffset.UtcNow);
        var sold = store.Where(o => o.IsSent).ToList();
        Assert.Contains($"A sync sends {sold.Count:N0} of them", emulator.Stdout, StringComparison.Ordinal);
        var landed = Server.Store.LoadLines("local", pipeline);
        Assert.Equal(sold.Count, landed.Select(l => l.OrderId).Distinct(StringComparer.Ordinal).Count());
        var expectedRows = sold.Sum(o => o.Lines.Where(l => l.Quantity > l.RefundedQuantity).Select(l => l.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expectedRows, landed.Count);
        Assert.Equal(sold.Sum(o => o.Lines.Sum(l => (double)(l.Quantity - l.RefundedQuantity))), landed.Sum(l => l.Quantity), 6);
        Assert.Contains("orders sent", sync.Stdout, StringComparison.Ordinal);
        Assert.Contains("standard_mba", sync.Stdout, StringComparison.Ordinal);
        Assert.Contains("then also", sync.Stdout, StringComparison.Ordinal);
        Assert.Contains("standard_rfm", sync.Stdout, StringComparison.Ordinal);
        Assert.Contains("segment", sync.Stdout, StringComparison.Ordinal);

        Interrupt(emulator);
        Assert.Equal(0, await emulator.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("Stopping the emulator.", emulator.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" info: ", emulator.Stdout, StringComparison.Ordinal); // logs go to stderr: stdout is the pipeline
    }

    [Fact]
    public void The_demo_store_is_the_same_for_a_seed_dated_within_the_last_year_with_a_few_orders_not_sold()
    {
        var today = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);

        var store = DemoStoreGenerator.Generate(2_000, 42, today);

        Assert.Equal(store, DemoStoreGenerator.Generate(2_000, 42, today), new DemoOrderComparer());
        Assert.NotEqual(store, DemoStoreGenerator.Generate(2_000, 43, today), new DemoOrderComparer());
        Assert.All(store, o => Assert.InRange(o.CreatedAt, today.Date.AddDays(-366), today.Date.AddTicks(-1)));
        Assert.Equal(Enumerable.Range(1_001, 2_000).Select(n => (long)n), store.Select(o => o.Number));
        Assert.True(store.Zip(store.Skip(1)).All(p => p.First.CreatedAt <= p.Second.CreatedAt), "numbered in date order");
        foreach (var kind in Enum.GetValues<DemoOrderKind>())
        {
            Assert.Contains(store, o => o.Kind == kind);
        }

        Assert.InRange(store.Count(o => !o.IsSent), 20, 120); // cancelled, test, refunded: a few percent
        Assert.InRange(store.Average(o => o.Lines.Count), 2.5, 5.0); // the sample's baskets: 3.72 products on average
        Assert.Contains(store, o => o.Lines.Any(l => l.Name == "Ink Cartridges, Pack of 6")); // the sample's catalogue
    }

    private sealed class DemoOrderComparer : IEqualityComparer<DemoOrder>
    {
        public bool Equals(DemoOrder? x, DemoOrder? y) =>
            x is not null && y is not null && x with { Lines = [] } == y with { Lines = [] } && x.Lines.SequenceEqual(y.Lines);

        public int GetHashCode(DemoOrder obj) => obj.Number.GetHashCode();
    }

    /// <summary>The pipeline entry <c>emulate</c> printed: from <c>- name:</c> to the blank line after it.</summary>
    private static string PrintedPipeline(string stdout) =>
        string.Join('\n', stdout.Split('\n').Select(l => l.TrimEnd('\r'))
            .SkipWhile(l => !l.StartsWith("  - name:", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0));

    /// <summary>Ctrl+C, as a user stops the emulator in its terminal.</summary>
    private static void Interrupt(HostProcess process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
