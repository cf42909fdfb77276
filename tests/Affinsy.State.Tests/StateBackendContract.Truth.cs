using Affinsy.Core.State;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The contract for what the operator is told afterwards: one letter per refusal, leases, abandoned runs.</summary>
public abstract partial class StateBackendContract
{
    private const string Holder = "host-a/100";
    private const string Other = "host-b/200";

    [Fact]
    public async Task Refusals_read_again_after_a_resume_add_no_second_letter()
    {
        await using (var first = await OpenAsync(Ct))
        {
            await first.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(2), Letter(3)], Ct);
        }

        // A crash-resume or full refresh re-reads the same bad rows, later, in another process.
        await using var resumed = await OpenAsync(Ct);
        await resumed.DeadLetters.WriteManyAsync("orders", [Letter(2) with { At = Start.AddDays(1) }, Letter(3), Letter(4), Letter(4)], Ct);
        await resumed.DeadLetters.WriteAsync("orders", Letter(1), Ct);

        Assert.Equal(4, await resumed.DeadLetters.CountAsync("orders", Ct));
        Assert.Equal(["line 1", "line 2", "line 3", "line 4"], await PositionsAsync(resumed, "orders"));
    }

    [Fact]
    public async Task The_same_record_refused_for_another_reason_or_in_another_pipeline_is_another_letter()
    {
        await using var state = await OpenAsync(Ct);

        await state.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(1) with { Reason = "no line items" }], Ct);
        await state.DeadLetters.WriteAsync("refunds", Letter(1), Ct);

        Assert.Equal(2, await state.DeadLetters.CountAsync("orders", Ct));
        Assert.Equal(1, await state.DeadLetters.CountAsync("refunds", Ct));
    }

    [Fact]
    public async Task Without_a_position_the_order_id_identifies_the_refusal()
    {
        await using var state = await OpenAsync(Ct);
        var refused = new DeadLetter("quantity: must be positive", string.Empty, "{}", "o-17", Start);

        await state.DeadLetters.WriteManyAsync("orders", [refused, refused with { OriginalRecord = "{\"again\":1}" }, refused with { OrderId = "o-18" }], Ct);

        Assert.Equal(2, await state.DeadLetters.CountAsync("orders", Ct));
    }

    [Fact]
    public async Task A_letter_is_found_by_its_id_and_purged_by_date()
    {
        await using var state = await OpenAsync(Ct);
        await state.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(2), Letter(3)], Ct);
        var id = DeadLetterIdentity.Of("orders", Letter(2));

        var found = await state.DeadLetters.FindAsync(id, Ct);
        Assert.Equal(new StoredDeadLetter(id, "orders", Letter(2)), found);
        Assert.Null(await state.DeadLetters.FindAsync("00000000deadbeef", Ct));

        Assert.Equal(2, await state.DeadLetters.PurgeAsync("orders", Start.AddSeconds(3), Ct));
        Assert.Equal(["line 3"], await PositionsAsync(state, "orders"));

        // A purged refusal read again is a letter again: someone will have to look at it.
        await state.DeadLetters.WriteAsync("orders", Letter(1), Ct);
        Assert.Equal(2, await state.DeadLetters.CountAsync("orders", Ct));
    }

    [Fact]
    public async Task A_held_lease_is_refused_to_another_holder_with_who_and_since()
    {
        await using var state = await OpenAsync(Ct);
        var granted = await state.Leases.AcquireAsync("orders", Holder, Ct);
        Time.Advance(TimeSpan.FromSeconds(29));

        var refused = await state.Leases.AcquireAsync("orders", Other, Ct);

        Assert.Equal(new LeaseState(true, Holder, Start, Start), granted);
        Assert.Equal(new LeaseState(false, Holder, Start, Start), refused);
        Assert.Equal("pipeline orders is being synced by host-a/100 since 2026-11-25 03:00:00Z", refused.DescribeHeld("orders"));
        Assert.True((await state.Leases.AcquireAsync("refunds", Other, Ct)).Granted);
    }

    [Fact]
    public async Task A_lease_not_renewed_for_30_seconds_goes_to_the_next_holder()
    {
        await using var state = await OpenAsync(Ct);
        await state.Leases.AcquireAsync("orders", Holder, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await state.Leases.RenewAsync("orders", Holder, Ct));
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.False((await state.Leases.AcquireAsync("orders", Other, Ct)).Granted);
        Time.Advance(TimeSpan.FromTicks(10)); // microseconds: PostgreSQL keeps no finer time

        var taken = await state.Leases.AcquireAsync("orders", Other, Ct);

        Assert.Equal(new LeaseState(true, Other, Time.GetUtcNow(), Time.GetUtcNow()), taken);
        Assert.False(await state.Leases.RenewAsync("orders", Holder, Ct));
    }

    [Fact]
    public async Task Reacquiring_ones_own_lease_renews_it_and_keeps_its_start_and_release_frees_it()
    {
        await using var state = await OpenAsync(Ct);
        await state.Leases.AcquireAsync("orders", Holder, Ct);
        Time.Advance(TimeSpan.FromSeconds(5));

        var again = await state.Leases.AcquireAsync("orders", Holder, Ct);
        await state.Leases.ReleaseAsync("orders", Other, Ct);
        Assert.Equal(Holder, (await state.Leases.GetAsync("orders", Ct))?.Holder);
        await state.Leases.ReleaseAsync("orders", Holder, Ct);

        Assert.Equal(new LeaseState(true, Holder, Start, Start.AddSeconds(5)), again);
        Assert.Null(await state.Leases.GetAsync("orders", Ct));
        Assert.True((await state.Leases.AcquireAsync("orders", Other, Ct)).Granted);
    }

    [Fact]
    public async Task Of_holders_racing_on_separate_connections_exactly_one_gets_the_lease()
    {
        var backends = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OpenAsync(Ct)));
        try
        {
            var results = await Task.WhenAll(backends.Select((b, i) => Task.Run(() => b.Leases.AcquireAsync("orders", $"host/{i}", Ct), Ct)));

            var winner = Assert.Single(results, r => r.Granted);
            Assert.All(results, r => Assert.Equal(winner.Holder, r.Holder));
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_held_lease_renews_itself_every_10_seconds_and_is_released_on_dispose()
    {
        await using var state = await OpenAsync(Ct);
        var renewals = new SemaphoreSlim(0);
        var (holder, _) = await PipelineLeaseHolder.TryAcquireAsync(state.Leases, "orders", Holder, Time, Ct, (_, _) =>
        {
            renewals.Release();
            return Task.CompletedTask;
        });
        Assert.NotNull(holder);

        for (var i = 1; i <= 6; i++)
        {
            Time.Advance(PipelineLeases.RenewEvery);
            await renewals.WaitAsync(Ct);
        }

        var (second, held) = await PipelineLeaseHolder.TryAcquireAsync(state.Leases, "orders", Other, Time, Ct);
        Assert.Null(second);
        Assert.Equal((Holder, Start, Start.AddMinutes(1)), (held.Holder, held.Since, held.RenewedAt));
        Assert.False(holder.Lost.IsCancellationRequested);

        await holder.DisposeAsync();
        Assert.Null(await state.Leases.GetAsync("orders", Ct));
    }

    [Fact]
    public async Task A_running_run_without_a_heartbeat_for_30_seconds_is_marked_abandoned_at_its_last_heartbeat()
    {
        await using var state = await OpenAsync(Ct);
        await state.History.RecordRunAsync(Run("r1", "orders", Start, RunOutcome.Running), Ct);
        await state.History.RecordRunAsync(Run("r0", "orders", Start.AddHours(-1), RunOutcome.Completed), Ct);
        await state.History.RecordRunAsync(Run("r9", "refunds", Start, RunOutcome.Running), Ct);
        await state.History.HeartbeatAsync("r1", Start.AddSeconds(10), Ct);

        Assert.Equal(0, await state.History.MarkAbandonedAsync("orders", Start.AddSeconds(40), Ct));
        Assert.Equal(1, await state.History.MarkAbandonedAsync("orders", Start.AddSeconds(41), Ct));

        var runs = await state.History.RecentRunsAsync("orders", 10, Ct);
        Assert.Equal(["r1", "r0"], runs.Select(r => r.RunId));
        var abandoned = runs[0];
        Assert.Equal((RunOutcome.Abandoned, (DateTimeOffset?)Start.AddSeconds(10), (DateTimeOffset?)Start.AddSeconds(10)), (abandoned.Outcome, abandoned.FinishedAt, abandoned.HeartbeatAt));
        Assert.Contains("host-1/123 stopped without ending the run", abandoned.Error, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Completed, runs[1].Outcome);
        Assert.Equal(RunOutcome.Running, Assert.Single(await state.History.RecentRunsAsync("refunds", 10, Ct)).Outcome);
    }

    [Fact]
    public async Task Recent_runs_are_newest_first_and_limited()
    {
        await using var state = await OpenAsync(Ct);
        for (var i = 0; i < 5; i++)
        {
            await state.History.RecordRunAsync(Run($"r{i}", i % 2 == 0 ? "orders" : "refunds", Start.AddMinutes(i), RunOutcome.Completed), Ct);
        }

        Assert.Equal(["r4", "r3", "r2"], (await state.History.RecentRunsAsync(null, 3, Ct)).Select(r => r.RunId));
        Assert.Equal(["r4", "r2", "r0"], (await state.History.RecentRunsAsync("orders", 10, Ct)).Select(r => r.RunId));
    }

    private static async Task<List<string>> PositionsAsync(IStateBackend state, string pipeline)
    {
        var positions = new List<string>();
        await foreach (var stored in state.DeadLetters.ListAsync(pipeline, Ct))
        {
            Assert.Equal(DeadLetterIdentity.Of(pipeline, stored.Letter), stored.Id);
            positions.Add(stored.Letter.Position);
        }

        return positions;
    }
}
