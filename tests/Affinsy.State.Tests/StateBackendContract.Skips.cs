using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The run history keeps what a run skipped by design, by reason, apart from its dead letters.</summary>
public abstract partial class StateBackendContract
{
    [Fact]
    public async Task A_runs_skipped_orders_by_reason_are_kept_in_the_history_apart_from_its_dead_letters()
    {
        var skipped = new SkipCounts();
        skipped.Add(SkipReason.Cancelled, 276);
        skipped.Add(SkipReason.Return, 40);
        await using (var state = await OpenAsync(Ct))
        {
            await state.History.RecordRunAsync(new RunRecord("r1", "orders", "host-1/123", Start, Start.AddMinutes(1), RunOutcome.Completed, null, 10, 20, 3, null, skipped), Ct);
            await state.History.RecordRunAsync(new RunRecord("r0", "orders", "host-1/123", Start.AddHours(-1), Start.AddHours(-1), RunOutcome.Completed, null, 1, 1, 0), Ct);
        }

        await using var reopened = await OpenAsync(Ct);
        var runs = await reopened.History.RecentRunsAsync("orders", 10, Ct);

        Assert.Equal(("276 cancelled, 40 return", 3L), (runs[0].Skipped!.Describe(), runs[0].DeadLettered));
        Assert.Null(runs[1].Skipped);
        Assert.Equal("276 cancelled, 40 return", Assert.Single(await reopened.History.LatestRunsAsync(Ct)).Skipped!.Describe());
    }
}
