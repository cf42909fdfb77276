using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>
/// What every state backend must do, run against each (SQLite and PostgreSQL subclasses). Each test has a store of
/// its own; <see cref="OpenAsync"/> opens another backend on it, as a second worker or process would.
/// </summary>
public abstract partial class StateBackendContract
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens a backend on this test's store (creating its schema when missing).</summary>
    protected abstract Task<IStateBackend> OpenAsync(CancellationToken cancellationToken);

    [Fact]
    public async Task A_pipeline_without_a_checkpoint_reads_null_and_is_not_listed()
    {
        await using var state = await OpenAsync(Ct);

        Assert.Null(await state.Checkpoints.GetAsync("orders", Ct));
        Assert.Empty(await state.Checkpoints.ListAsync(Ct));
    }

    [Fact]
    public async Task A_saved_checkpoint_is_read_back_and_listed_with_its_write_time()
    {
        await using var state = await OpenAsync(Ct);
        Time.Advance(TimeSpan.FromMinutes(5));

        await state.Checkpoints.SaveAsync("orders", new Checkpoint("""{"line":42}"""), Ct);

        Assert.Equal("""{"line":42}""", (await state.Checkpoints.GetAsync("orders", Ct))?.Value);
        var entry = Assert.Single(await state.Checkpoints.ListAsync(Ct));
        Assert.Equal(("orders", """{"line":42}""", Start.AddMinutes(5)), (entry.Pipeline, entry.Checkpoint.Value, entry.UpdatedAt));
    }

    [Fact]
    public async Task Saving_again_replaces_the_checkpoint_and_its_time()
    {
        await using var state = await OpenAsync(Ct);
        await state.Checkpoints.SaveAsync("orders", new Checkpoint("1"), Ct);
        Time.Advance(TimeSpan.FromSeconds(30));

        await state.Checkpoints.SaveAsync("orders", new Checkpoint("2"), Ct);

        var entry = Assert.Single(await state.Checkpoints.ListAsync(Ct));
        Assert.Equal(("2", Start.AddSeconds(30)), (entry.Checkpoint.Value, entry.UpdatedAt));
    }

    [Fact]
    public async Task Reset_forgets_only_that_pipelines_checkpoint()
    {
        await using var state = await OpenAsync(Ct);
        await state.Checkpoints.SaveAsync("a", new Checkpoint("1"), Ct);
        await state.Checkpoints.SaveAsync("b", new Checkpoint("2"), Ct);

        await state.Checkpoints.ResetAsync("a", Ct);

        Assert.Null(await state.Checkpoints.GetAsync("a", Ct));
        Assert.Equal(["b"], (await state.Checkpoints.ListAsync(Ct)).Select(e => e.Pipeline));
    }

    [Fact]
    public async Task Dead_letters_written_one_by_one_and_many_at_once_are_counted_per_pipeline()
    {
        await using var state = await OpenAsync(Ct);
        await state.DeadLetters.WriteAsync("a", Letter(1), Ct);
        await state.DeadLetters.WriteManyAsync("a", [Letter(2), Letter(3), Letter(4)], Ct);
        await state.DeadLetters.WriteManyAsync("b", [Letter(5)], Ct);
        await state.DeadLetters.WriteManyAsync("b", [], Ct);

        Assert.Equal(4, await state.DeadLetters.CountAsync("a", Ct));
        Assert.Equal(1, await state.DeadLetters.CountAsync("b", Ct));
        Assert.Equal(0, await state.DeadLetters.CountAsync("c", Ct));
        Assert.Contains("refunds", state.DeadLetters.LocationOf("refunds"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_run_of_each_pipeline_is_the_last_started_as_last_recorded()
    {
        await using var state = await OpenAsync(Ct);
        await state.History.RecordRunAsync(Run("r1", "orders", Start, RunOutcome.Completed), Ct);
        await state.History.RecordRunAsync(Run("r2", "orders", Start.AddHours(1), RunOutcome.Running), Ct);
        await state.History.RecordRunAsync(Run("r3", "refunds", Start.AddMinutes(10), RunOutcome.Failed) with { Error = "source unreachable" }, Ct);

        // A run is written when it starts and again when it ends: the second write replaces the first.
        var finished = Run("r2", "orders", Start.AddHours(1), RunOutcome.Completed) with { FinishedAt = Start.AddHours(1).AddMinutes(2), OrdersRead = 10, LineItemsSent = 25, DeadLettered = 1 };
        await state.History.RecordRunAsync(finished, Ct);

        var latest = await state.History.LatestRunsAsync(Ct);
        Assert.Equal(2, latest.Count);
        Assert.Equal(finished, latest.Single(r => r.Pipeline == "orders"));
        var refunds = latest.Single(r => r.Pipeline == "refunds");
        Assert.Equal(("r3", RunOutcome.Failed, "source unreachable", (DateTimeOffset?)null), (refunds.RunId, refunds.Outcome, refunds.Error, refunds.FinishedAt));
    }

    [Fact]
    public async Task The_latest_report_of_each_template_is_the_last_triggered_as_last_recorded()
    {
        await using var state = await OpenAsync(Ct);
        await state.History.RecordReportAsync(Report("p1", "orders", "standard_mba", Start), Ct);
        await state.History.RecordReportAsync(Report("p2", "orders", "standard_mba", Start.AddHours(1)), Ct);
        await state.History.RecordReportAsync(Report("p3", "orders", "rfm", Start.AddMinutes(1)), Ct);
        var collected = Report("p2", "orders", "standard_mba", Start.AddHours(1)) with { Status = "Completed", FinishedAt = Start.AddHours(1).AddSeconds(40), SavedTo = "out/reports/orders/p2.json" };
        await state.History.RecordReportAsync(collected, Ct);

        var latest = await state.History.LatestReportsAsync(Ct);

        Assert.Equal(2, latest.Count);
        Assert.Equal(collected, latest.Single(r => r.Template == "standard_mba"));
        Assert.Equal("p3", latest.Single(r => r.Template == "rfm").ReportId);
    }

    [Fact]
    public async Task Two_backends_on_the_same_store_see_each_others_writes()
    {
        await using var first = await OpenAsync(Ct);
        await using var second = await OpenAsync(Ct);

        await first.Checkpoints.SaveAsync("orders", new Checkpoint("7"), Ct);
        await second.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(2)], Ct);
        await first.History.RecordRunAsync(Run("r1", "orders", Start, RunOutcome.Completed), Ct);
        await second.History.RecordReportAsync(Report("p1", "orders", "rfm", Start), Ct);

        Assert.Equal("7", (await second.Checkpoints.GetAsync("orders", Ct))?.Value);
        Assert.Equal(2, await first.DeadLetters.CountAsync("orders", Ct));
        Assert.Equal("r1", Assert.Single(await second.History.LatestRunsAsync(Ct)).RunId);
        Assert.Equal("p1", Assert.Single(await first.History.LatestReportsAsync(Ct)).ReportId);
    }

    [Fact]
    public async Task Openers_racing_on_a_new_store_all_succeed_and_share_one_schema()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => OpenAsync(Ct), Ct)));
        try
        {
            for (var i = 0; i < opened.Length; i++)
            {
                await opened[i].Checkpoints.SaveAsync($"p{i}", new Checkpoint(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
            }

            Assert.Equal(opened.Length, (await opened[0].Checkpoints.ListAsync(Ct)).Count);
        }
        finally
        {
            foreach (var state in opened)
            {
                await state.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Ping_succeeds_on_an_open_store()
    {
        await using var state = await OpenAsync(Ct);

        await state.PingAsync(Ct);

        Assert.False(string.IsNullOrWhiteSpace(state.Description));
    }

    protected static DeadLetter Letter(int n) =>
        new($"reason {n}", $"line {n}", $"{{\"id\":{n}}}", n % 2 == 0 ? null : $"o{n}", Start.AddSeconds(n), n == 3 ? "quantity: must be positive" : null);

    private static RunRecord Run(string id, string pipeline, DateTimeOffset startedAt, RunOutcome outcome) =>
        new(id, pipeline, "host-1/123", startedAt, null, outcome, null, 0, 0, 0);

    private static ReportRecord Report(string id, string pipeline, string template, DateTimeOffset at) =>
        new(id, pipeline, template, "r1", at, null, "Processing", null);
}
