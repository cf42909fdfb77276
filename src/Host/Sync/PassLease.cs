using System.Collections.Concurrent;
using Affinsy.Core.State;

namespace Affinsy.Host.Sync;

/// <summary>
/// The pipeline's lease, held by one pass from before it reads until its sync ends: one sync per pipeline across every
/// process sharing the state store. The store's lease names processes (<c>host/pid</c>), so passes within one process
/// (a worker's schedule and a streaming restart) are kept apart here as well. Renewals beat the run's heartbeat.
/// </summary>
internal sealed class PassLease : IAsyncDisposable
{
    /// <summary>How often a waiting pass (<c>sync --wait</c>) asks again.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private readonly PipelineLeaseHolder _holder;
    private readonly ConcurrentDictionary<string, LeaseState> _heldHere;

    private PassLease(PipelineLeaseHolder holder, ConcurrentDictionary<string, LeaseState> heldHere)
    {
        _holder = holder;
        _heldHere = heldHere;
    }

    /// <summary>Cancelled when a renewal found the lease taken by another (this process stalled past its expiry).</summary>
    public CancellationToken Lost => _holder.Lost;

    /// <summary>
    /// Takes the lease, or throws <see cref="PipelineBusyException"/> saying who holds it; with <paramref name="wait"/>,
    /// asks again every <see cref="PollEvery"/> (on <paramref name="time"/>) until it is free or <paramref name="ct"/> is cancelled.
    /// <paramref name="onWaiting"/> is told once, when the first attempt finds it held.
    /// </summary>
    public static async Task<PassLease> TakeAsync(
        IStateBackend state, ConcurrentDictionary<string, LeaseState> heldHere, string pipeline, string runId, TimeProvider time,
        bool wait, Action<LeaseState>? onWaiting, CancellationToken ct)
    {
        var announced = false;
        while (true)
        {
            var held = await TryTakeAsync(state, heldHere, pipeline, runId, time, ct);
            if (held.Lease is { } lease)
            {
                return lease;
            }

            if (!wait)
            {
                throw new PipelineBusyException(pipeline, held.State);
            }

            if (!announced)
            {
                announced = true;
                onWaiting?.Invoke(held.State);
            }

            await Task.Delay(PollEvery, time, ct);
        }
    }

    private static async Task<(PassLease? Lease, LeaseState State)> TryTakeAsync(
        IStateBackend state, ConcurrentDictionary<string, LeaseState> heldHere, string pipeline, string runId, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var mine = new LeaseState(false, PipelineLeases.ThisProcess, now, now);
        if (!heldHere.TryAdd(pipeline, mine))
        {
            return (null, heldHere.TryGetValue(pipeline, out var other) ? other : mine);
        }

        try
        {
            var (holder, leaseState) = await PipelineLeaseHolder.TryAcquireAsync(
                state.Leases, pipeline, PipelineLeases.ThisProcess, time, ct, (at, c) => state.History.HeartbeatAsync(runId, at, c));
            if (holder is null)
            {
                heldHere.TryRemove(pipeline, out _);
                return (null, leaseState);
            }

            heldHere[pipeline] = leaseState;
            return (new PassLease(holder, heldHere), leaseState);
        }
        catch
        {
            heldHere.TryRemove(pipeline, out _);
            throw;
        }
    }

    /// <summary>Stops renewing and gives the lease up (the store's row and this process's mark).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _holder.DisposeAsync();
        }
        finally
        {
            _heldHere.TryRemove(_holder.Pipeline, out _);
        }
    }
}

/// <summary>Another pass holds the pipeline's lease: this one did not start.</summary>
internal sealed class PipelineBusyException(string pipeline, LeaseState heldBy)
    : Exception($"{heldBy.DescribeHeld(pipeline)}; wait for it to finish, or run `affinsy-connect sync {pipeline} --wait` to start as soon as it has (a killed holder's lease expires {PipelineLeases.ExpiresAfter.TotalSeconds:0} s after its last renewal).")
{
    /// <summary>The pipeline.</summary>
    public string Pipeline { get; } = pipeline;

    /// <summary>Who holds the lease, since when.</summary>
    public LeaseState HeldBy { get; } = heldBy;
}
