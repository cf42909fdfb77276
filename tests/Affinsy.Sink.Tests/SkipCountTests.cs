using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

/// <summary>Skipped orders are counted once per batch accepted, by reason, apart from dead letters, and the progress agrees with the result.</summary>
public sealed class SkipCountTests
{
    [Fact]
    public async Task Skips_of_every_batch_add_up_by_reason_and_the_last_progress_shows_the_results_counts()
    {
        using var harness = new SyncHarness(tune: SyncHarness.OneBatchPerRequest);
        var zero = new OrderDraft("z");
        zero.AddLine("Tea", 1m, 0m);
        var refused = new OrderDraft("r") { Origin = RecordOrigin.Of("line 3", "r,,,") };
        var first = new OrderBatch([OrderDraft.From(Orders.WithLines("a", 1)), zero], [], new Checkpoint("1")) { Skipped = Counts((SkipReason.Cancelled, 2)) };
        var second = new OrderBatch([OrderDraft.From(Orders.WithLines("b", 1)), refused], [], new Checkpoint("2")) { Skipped = Counts((SkipReason.Cancelled, 1), (SkipReason.Test, 1)) };
        var reports = new List<SyncProgress>();
        var progress = new CallbackProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });

        var result = await harness.RunAsync(new ListSource([first, second]), progress, TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal("3 cancelled, 1 test, 1 zero_quantity", result.Skipped.Describe());
        Assert.Equal((1L, 1L, 2L), (result.OrdersRefused, result.DeadLetteredTotal, result.OrdersSent));
        Assert.Equal("r", Assert.Single(harness.DeadLetters.Letters).OrderId);
        var last = reports[^1];
        Assert.Equal((result.Skipped, result.DeadLetteredTotal), (last.Skipped, last.DeadLetteredTotal));
    }

    [Fact]
    public async Task The_progress_carries_how_far_the_last_batch_taken_read_through_the_source()
    {
        using var harness = new SyncHarness(tune: SyncHarness.OneBatchPerRequest);
        var first = new OrderBatch([OrderDraft.From(Orders.WithLines("a", 1))], [], new Checkpoint("1")) { Progress = new SourceProgress(40, 100) };
        var unknown = new OrderBatch([OrderDraft.From(Orders.WithLines("b", 1))], [], new Checkpoint("2")); // says nothing: the last known stays
        var last = new OrderBatch([OrderDraft.From(Orders.WithLines("c", 1))], [], new Checkpoint("3")) { Progress = new SourceProgress(100, 100) };
        var reports = new List<SyncProgress>();
        var progress = new CallbackProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });

        await harness.RunAsync(new ListSource([first, unknown, last]), progress, TestContext.Current.CancellationToken);

        Assert.Equal(new SourceProgress(100, 100), reports[^1].Source);
        Assert.All(reports, r => Assert.True(r.Source is { Total: 100 }));
    }

    private static SkipCounts Counts(params (SkipReason Reason, long Orders)[] counts)
    {
        var skipped = new SkipCounts();
        foreach (var (reason, orders) in counts)
        {
            skipped.Add(reason, orders);
        }

        return skipped;
    }
}
