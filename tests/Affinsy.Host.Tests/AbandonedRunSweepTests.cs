using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Worker;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// The worker's sweep, on a real SQLite state file and a driven clock: a run whose process died is marked abandoned
/// once its heartbeat is older than the lease's expiry, with no pass, <c>status</c> or <c>runs</c> needed, and a run
/// that keeps beating is left running.
/// </summary>
public sealed class AbandonedRunSweepTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "affinsy-tests", Guid.NewGuid().ToString("N"));
    private readonly DrivenClock _clock = new(T0);
    private SqliteStateBackend _state = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _state = await SqliteStateBackend.OpenAsync(new StateSettings { Path = Path.Combine(_dir, "state.db") }, _clock, Ct);

    public async ValueTask DisposeAsync()
    {
        await _state.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_dead_run_is_marked_abandoned_by_the_periodic_sweep_and_a_beating_one_is_left_running()
    {
        await _state.History.RecordRunAsync(new RunRecord("dead", "shop", "gone-host/1", T0, null, RunOutcome.Running, null, 10, 40, 0, T0), Ct);
        await _state.History.RecordRunAsync(new RunRecord("alive", "stream", "this-host/2", T0, null, RunOutcome.Running, null, 0, 0, 0, T0), Ct);
        var history = new SignallingHistory(_state.History, last: "stream");
        _clock.Advance(TimeSpan.FromSeconds(5));
        using var sweep = new AbandonedRunSweep(["shop", "stream"], history, _clock, NullLogger.Instance);
        await sweep.StartAsync(Ct);
        _clock.Advance(TimeSpan.FromSeconds(15));
        await _state.History.HeartbeatAsync("alive", _clock.GetUtcNow(), Ct); // T0 + 20 s
        var swept = history.NextSweep;
        _clock.Advance(TimeSpan.FromSeconds(15)); // T0 + 35 s: the first tick, 30 s after the worker started
        await swept.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await sweep.StopAsync(Ct);

        var runs = (await _state.History.RecentRunsAsync(null, 10, Ct)).ToDictionary(r => r.RunId);
        Assert.Equal(RunOutcome.Abandoned, runs["dead"].Outcome);
        Assert.Equal(T0, runs["dead"].FinishedAt); // it ended at its last heartbeat, not when the sweep saw it
        Assert.Equal(RunOutcome.Running, runs["alive"].Outcome);
    }

    [Fact]
    public async Task A_run_younger_than_the_lease_expiry_is_not_marked()
    {
        await _state.History.RecordRunAsync(new RunRecord("slow", "shop", "other-host/1", T0, null, RunOutcome.Running, null, 0, 0, 0, T0), Ct);
        var sweep = new AbandonedRunSweep(["shop"], _state.History, _clock, NullLogger.Instance);

        _clock.Advance(PipelineLeases.ExpiresAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await sweep.SweepAsync(Ct));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await sweep.SweepAsync(Ct));
        sweep.Dispose();
    }

    /// <summary>The real history, telling the test when a sweep has looked at the last pipeline.</summary>
    private sealed class SignallingHistory(IRunHistory inner, string last) : IRunHistory
    {
        private readonly TaskCompletionSource _swept = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextSweep => _swept.Task;

        public async Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var marked = await inner.MarkAbandonedAsync(pipeline, now, cancellationToken);
            if (pipeline == last)
            {
                _swept.TrySetResult();
            }

            return marked;
        }

        public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken) => inner.RecordRunAsync(run, cancellationToken);

        public Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken) => inner.RecordReportAsync(report, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) => inner.LatestRunsAsync(cancellationToken);

        public Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken) => inner.LatestReportsAsync(cancellationToken);

        public Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken) => inner.RecentRunsAsync(pipeline, count, cancellationToken);

        public Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) => inner.HeartbeatAsync(runId, at, cancellationToken);
    }
}
