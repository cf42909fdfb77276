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
}
