namespace Affinsy.Host.Worker;

/// <summary>
/// The worker's two ways of stopping work. <see cref="Drain"/> asks every running sync to stop reading and
/// finish at a checkpoint; <see cref="Abort"/>, after the drain timeout, stops them at once. Runs register
/// themselves so the drain knows when the last one has ended.
/// </summary>
internal sealed class WorkerLifetime : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private int _running;
    private TaskCompletionSource _idle = Idle();

    public CancellationToken Drain => _drain.Token;

    public CancellationToken Abort => _abort.Token;

    public bool IsDraining => _drain.IsCancellationRequested;

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Marks a run as started; dispose the result when it ends.</summary>
    public IDisposable Enter()
    {
        lock (_gate)
        {
            if (_running++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return new Exit(this);
    }

    /// <summary>
    /// Drains: asks runs to reach a checkpoint, waits up to <paramref name="timeout"/>, then aborts what is
    /// left and waits for it to unwind (bounded by <paramref name="unwind"/>). True when everything ended in time.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeSpan unwind, TimeProvider time)
    {
        await _drain.CancelAsync();
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }

        if (await Ends(idle, timeout, time))
        {
            return true;
        }

        await _abort.CancelAsync();
        return await Ends(idle, unwind, time);
    }

    private static async Task<bool> Ends(Task task, TimeSpan within, TimeProvider time)
    {
        try
        {
            await task.WaitAsync(within, time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource Idle()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    public void Dispose()
    {
        _drain.Dispose();
        _abort.Dispose();
    }

    private sealed class Exit(WorkerLifetime owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1)
            {
                return;
            }

            lock (owner._gate)
            {
                if (--owner._running == 0)
                {
                    owner._idle.TrySetResult();
                }
            }
        }
    }
}
