using System.Runtime.InteropServices;

namespace Affinsy.Host.Sync;

/// <summary>
/// Ctrl+C and SIGTERM for <c>sync</c>: the first stops reading (<see cref="Drain"/>) and gives requests in flight
/// <c>worker.drain_timeout</c> to be acknowledged before <see cref="Abort"/> cuts them off, so the checkpoint covers what
/// Affinsy acknowledged and the summary can be printed; a second aborts the process at once (exit 130, one line),
/// for when even that is too long. The default termination is cancelled, so nothing dies mid-write.
/// </summary>
internal sealed class SyncInterrupt : IDisposable
{
    /// <summary>The exit code of an interrupted command (128 + SIGINT), as shells report one.</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _abort;
    private readonly TimeSpan _drainTimeout;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    public SyncInterrupt(TimeSpan drainTimeout, TimeProvider time)
    {
        _drainTimeout = drainTimeout;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal: read nothing more, finish what is in flight.</summary>
    public CancellationToken Drain => _drain.Token;

    /// <summary>Cancelled <c>drain_timeout</c> after the first signal: stop at once (the checkpoint still covers every acknowledgement).</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Requested => _drain.IsCancellationRequested;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Console.Error.WriteLine($"Interrupted: finishing the requests in flight (at most {_drainTimeout.TotalSeconds:0} s) and saving the checkpoint; press Ctrl+C again to stop at once.");
            _drain.Cancel();
            _abort.CancelAfter(_drainTimeout);
            return;
        }

        Console.Error.WriteLine("Stopped at once: the next sync resumes from the last saved checkpoint (the unsaved tail is sent again).");
        Environment.Exit(ExitCode);
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _drain.Dispose();
        _abort.Dispose();
    }
}
