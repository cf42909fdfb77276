using Affinsy.Core.Sources;
using Affinsy.Host.Sync;
using Affinsy.Sink.Pipelines;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>The progress line, rendered to text: its skipped and dead-lettered counts read as the summary's rows do.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void The_progress_line_shows_skipped_by_reason_and_every_dead_letter_the_summary_counts()
    {
        var skipped = new SkipCounts();
        skipped.Add(SkipReason.Cancelled, 276);
        skipped.Add(SkipReason.ZeroQuantity, 8);
        var progress = new SyncProgress(1_000, 3_000, 900, 2_700, 2, 4) { OrdersRefused = 3, Skipped = skipped };

        var line = SyncConsole.Describe("sample-store", progress, TimeSpan.FromSeconds(3));

        Assert.Equal("sample-store: read 1,000 orders, sent 2,700 line items in 4 requests (900/s), skipped 284 (276 cancelled, 8 zero_quantity), dead-lettered 5", line);
    }

    [Fact]
    public void Nothing_skipped_reads_as_zero()
    {
        var line = SyncConsole.Describe("p", new SyncProgress(1, 1, 1, 1, 0, 1), TimeSpan.Zero);

        Assert.EndsWith("skipped 0, dead-lettered 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_of_known_size_adds_how_much_is_read_and_an_eta_at_the_pace_so_far()
    {
        // A quarter of the file in 30 s: three quarters left at that pace is 90 s.
        var progress = new SyncProgress(1, 1, 1, 1, 0, 1) { Source = new SourceProgress(250_000, 1_000_000) };

        var line = SyncConsole.Describe("p", progress, TimeSpan.FromSeconds(30));

        Assert.EndsWith("dead-lettered 0; 25% of the source read, about 1 min 30 s left", line, StringComparison.Ordinal);
        Assert.Equal("45 s", SyncConsole.Eta(TimeSpan.FromSeconds(44.2)));
        Assert.Equal("2 h 05 min", SyncConsole.Eta(TimeSpan.FromMinutes(125)));
    }
}
