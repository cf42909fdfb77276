namespace Affinsy.Core.State;

/// <summary>
/// A held lease that renews itself every <see cref="PipelineLeases.RenewEvery"/> on the given clock until disposed,
/// then releases it. <see cref="Lost"/> is cancelled when a renewal finds the lease gone (the process stalled past
/// the expiry and another took it), so the pass can stop before it writes over the new holder's work.
/// </summary>
public sealed class PipelineLeaseHolder : IAsyncDisposable
{
    private readonly IPipelineLeases _leases;
    private readonly Func<DateTimeOffset, CancellationToken, Task>? _onRenewed;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private PipelineLeaseHolder(IPipelineLeases leases, LeaseState state, string pipeline, TimeProvider time, Func<DateTimeOffset, CancellationToken, Task>? onRenewed)
    {
        _leases = leases;
        _time = time;
        _onRenewed = onRenewed;
        State = state;
        Pipeline = pipeline;
        _renewing = RenewAsync();
    }

    /// <summary>The pipeline.</summary>
    public string Pipeline { get; }

    /// <summary>The lease as granted.</summary>
    public LeaseState State { get; }

    /// <summary>Cancelled when the lease was lost.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the lease and starts renewing it, or returns null with <paramref name="heldBy"/> saying who has it.
    /// <paramref name="onRenewed"/> runs after each renewal (the run history's heartbeat, say).
    /// </summary>
    public static async Task<(PipelineLeaseHolder? Holder, LeaseState State)> TryAcquireAsync(
        IPipelineLeases leases, string pipeline, string holder, TimeProvider time, CancellationToken cancellationToken,
        Func<DateTimeOffset, CancellationToken, Task>? onRenewed = null)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(time);
        var state = await leases.AcquireAsync(pipeline, holder, cancellationToken);
        return state.Granted ? (new PipelineLeaseHolder(leases, state, pipeline, time, onRenewed), state) : (null, state);
    }

    /// <summary>Stops renewing and releases the lease.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        if (!_lost.IsCancellationRequested)
        {
            await _leases.ReleaseAsync(Pipeline, State.Holder, CancellationToken.None);
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(PipelineLeases.RenewEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool held;
                try
                {
                    held = await _leases.RenewAsync(Pipeline, State.Holder, _stop.Token);
                    if (held && _onRenewed is not null)
                    {
                        await _onRenewed(_time.GetUtcNow(), _stop.Token);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The store is briefly unreachable: try again at the next tick; the lease has two more before it expires.
                    continue;
                }

                if (!held)
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the owner releases the lease.
        }
    }
}
