using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The <c>reports_after</c> counter: kept in the store, due once per threshold reached, shared by every opener.</summary>
public abstract partial class StateBackendContract
{
    [Fact]
    public async Task The_report_counter_survives_a_reopen_and_is_due_once_when_the_threshold_is_reached()
    {
        await using (var first = await OpenAsync(Ct))
        {
            Assert.Equal(new(400, false), await first.ReportCounters.AddAsync("orders", 400, 1_000, Ct));
            Assert.Equal(new(900, false), await first.ReportCounters.AddAsync("orders", 500, 1_000, Ct));
        }

        await using var restarted = await OpenAsync(Ct);

        Assert.Equal(new(150, true), await restarted.ReportCounters.AddAsync("orders", 250, 1_000, Ct));
        Assert.Equal(new(150, false), await restarted.ReportCounters.AddAsync("orders", 0, 1_000, Ct));
        Assert.Equal(new(0, false), await restarted.ReportCounters.AddAsync("returns", 0, 1_000, Ct));
    }

    [Fact]
    public async Task A_backlog_far_past_the_threshold_makes_the_reports_due_once_and_keeps_the_remainder()
    {
        await using var state = await OpenAsync(Ct);

        Assert.Equal(new(500, true), await state.ReportCounters.AddAsync("orders", 3_500, 1_000, Ct));
        Assert.Equal(new(500, true), await state.ReportCounters.AddAsync("returns", 2_500, 1_000, Ct));
        Assert.Equal(new(700, false), await state.ReportCounters.AddAsync("orders", 200, 1_000, Ct));
    }

    [Fact]
    public async Task Two_processes_counting_together_lose_no_order_and_fire_exactly_once_per_threshold()
    {
        await using var a = await OpenAsync(Ct);
        await using var b = await OpenAsync(Ct);

        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).ReportCounters.AddAsync("orders", 25, 100, Ct)));

        // 1,000 orders at 25 per add: each add crosses at most one multiple of 100, so ten are due and nothing is left.
        Assert.Equal(10, counts.Count(c => c.Due));
        Assert.Equal(new(0, false), await a.ReportCounters.AddAsync("orders", 0, 100, Ct));
    }
}
