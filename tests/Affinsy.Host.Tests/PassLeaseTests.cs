using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Sync;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// The lease a pass takes before reading, on a real SQLite state file and a driven clock: who holds it is said when a
/// second pass is refused, a holder that stops renewing blocks nobody past the expiry, <c>--wait</c> polls on the clock,
/// and two passes of one pipeline in one process are kept apart too.
/// </summary>
public sealed class PassLeaseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "affinsy-tests", Guid.NewGuid().ToString("N"));
    private readonly DrivenClock _clock = new(T0);
    private readonly ConcurrentDictionary<string, LeaseState> _heldHere = new(StringComparer.Ordinal);
    private SqliteStateBackend _state = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _state = await SqliteStateBackend.OpenAsync(new StateSettings { Path = Path.Combine(_dir, "state.db") }, _clock, Ct);

    public async ValueTask DisposeAsync()
    {
        await _state.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<PassLease> TakeAsync(bool wait = false, Action<LeaseState>? onWaiting = null) =>
        PassLease.TakeAsync(_state, _heldHere, "shop", "run_1", _clock, wait, onWaiting, Ct);

    [Fact]
    public async Task A_pass_refused_the_lease_says_who_holds_it_since_when_and_what_to_do()
    {
        await _state.Leases.AcquireAsync("shop", "other-host/4242", Ct);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var busy = await Assert.ThrowsAsync<PipelineBusyException>(() => TakeAsync());

        Assert.Equal("other-host/4242", busy.HeldBy.Holder);
        Assert.StartsWith("pipeline shop is being synced by other-host/4242 since 2026-03-01 12:00:00Z", busy.Message, StringComparison.Ordinal);
        Assert.Contains("affinsy-connect sync shop --wait", busy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_holder_that_keeps_renewing_keeps_the_lease_and_one_that_stops_frees_it_30_s_after_its_last_renewal()
    {
        await _state.Leases.AcquireAsync("shop", "other-host/4242", Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await _state.Leases.RenewAsync("shop", "other-host/4242", Ct));

        _clock.Advance(TimeSpan.FromSeconds(29)); // 49 s after it was taken, 29 s after its last renewal
        await Assert.ThrowsAsync<PipelineBusyException>(() => TakeAsync());

        _clock.Advance(TimeSpan.FromSeconds(2)); // 31 s after the last renewal: the holder is presumed dead
        await using var lease = await TakeAsync();
        var stored = await _state.Leases.GetAsync("shop", Ct);
        Assert.Equal(PipelineLeases.ThisProcess, stored!.Holder);
        Assert.Equal(T0 + TimeSpan.FromSeconds(51), stored.Since);
    }

    [Fact]
    public async Task A_held_lease_is_renewed_every_10_s_with_the_run_heartbeat_and_given_up_at_the_end()
    {
        await _state.History.RecordRunAsync(new RunRecord("run_1", "shop", "me", T0, null, RunOutcome.Running, null, 0, 0, 0), Ct);
        var beats = new BeatWatch(_state);
        await using (var lease = await PassLease.TakeAsync(beats, _heldHere, "shop", "run_1", _clock, false, null, Ct))
        {
            Assert.Equal(T0 + PipelineLeases.RenewEvery, _clock.NextWait());
            var beat = beats.Next;
            _clock.Advance(PipelineLeases.RenewEvery);
            Assert.Equal(T0 + PipelineLeases.RenewEvery, await beat.WaitAsync(TimeSpan.FromSeconds(30), Ct));

            Assert.Equal(T0 + PipelineLeases.RenewEvery, (await _state.History.RecentRunsAsync("shop", 1, Ct))[0].HeartbeatAt);
            Assert.Equal(T0 + PipelineLeases.RenewEvery, (await _state.Leases.GetAsync("shop", Ct))!.RenewedAt);
            _clock.Advance(TimeSpan.FromSeconds(5)); // 35 s after it was taken, but renewed at 10 s: still held
            Assert.False((await _state.Leases.AcquireAsync("shop", "other-host/1", Ct)).Granted);
        }

        Assert.Null(await _state.Leases.GetAsync("shop", Ct));
        Assert.Empty(_heldHere);
    }

    [Fact]
    public async Task Waiting_for_the_lease_polls_on_the_clock_and_takes_it_once_the_holder_gives_it_up()
    {
        await _state.Leases.AcquireAsync("shop", "other-host/4242", Ct);
        LeaseState? announced = null;
        var armed = _clock.NextArming;
        var waiting = TakeAsync(wait: true, onWaiting: held => announced = held);

        await armed.WaitAsync(TimeSpan.FromSeconds(30), Ct); // the first attempt found it held and waits a poll
        Assert.False(waiting.IsCompleted);
        Assert.Equal("other-host/4242", announced!.Holder);
        await _state.Leases.ReleaseAsync("shop", "other-host/4242", Ct);

        _clock.Advance(PassLease.PollEvery);
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(PipelineLeases.ThisProcess, (await _state.Leases.GetAsync("shop", Ct))!.Holder);
    }

    [Fact]
    public async Task Two_passes_of_one_pipeline_in_one_process_do_not_both_get_the_lease()
    {
        await using var first = await TakeAsync();

        var busy = await Assert.ThrowsAsync<PipelineBusyException>(() => TakeAsync());

        Assert.Equal(PipelineLeases.ThisProcess, busy.HeldBy.Holder);
    }

    /// <summary>The real backend, telling the test when a heartbeat has been written.</summary>
    private sealed class BeatWatch(IStateBackend inner) : IStateBackend, IRunHistory
    {
        private TaskCompletionSource<DateTimeOffset> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<DateTimeOffset> Next => _next.Task;

        public ICheckpointStore Checkpoints => inner.Checkpoints;

        public IDeadLetterStore DeadLetters => inner.DeadLetters;

        public IRunHistory History => this;

        public IPipelineLeases Leases => inner.Leases;

        public IOrderLedger Ledger => inner.Ledger;

        public IReportCounters ReportCounters => inner.ReportCounters;

        public IReplayedLetters ReplayedLetters => inner.ReplayedLetters;

        public string Description => inner.Description;

        public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public async Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            await inner.History.HeartbeatAsync(runId, at, cancellationToken);
            Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
        }

        public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken) => inner.History.RecordRunAsync(run, cancellationToken);

        public Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken) => inner.History.RecordReportAsync(report, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) => inner.History.LatestRunsAsync(cancellationToken);

        public Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken) => inner.History.LatestReportsAsync(cancellationToken);

        public Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken) => inner.History.RecentRunsAsync(pipeline, count, cancellationToken);

        public Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken) => inner.History.MarkAbandonedAsync(pipeline, now, cancellationToken);
    }
}
