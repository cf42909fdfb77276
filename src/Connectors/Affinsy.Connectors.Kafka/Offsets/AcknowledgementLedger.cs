namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// The highest acknowledged batch of the current run, fed from whatever thread saves checkpoints and read by the
/// consumer thread. A run id keeps a late acknowledgement of a previous run from counting for this one.
/// </summary>
internal sealed class AcknowledgementLedger
{
    private readonly SemaphoreSlim signal = new(0);
    private string run = string.Empty;
    private long acknowledged = -1;

    public string Run => Volatile.Read(ref run);

    public long Acknowledged => Interlocked.Read(ref acknowledged);

    public AcknowledgementLedger StartRun()
    {
        Volatile.Write(ref run, Guid.NewGuid().ToString("N"));
        Interlocked.Exchange(ref acknowledged, -1);
        return this;
    }

    public void Acknowledge(string runId, long seq)
    {
        if (!string.Equals(runId, Run, StringComparison.Ordinal))
        {
            return;
        }

        long seen;
        do
        {
            seen = Interlocked.Read(ref acknowledged);
            if (seq <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref acknowledged, seq, seen) != seen);
        signal.Release();
    }

    /// <summary>Waits until batch <paramref name="seq"/> is acknowledged; false on timeout or cancellation.</summary>
    public bool WaitFor(long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Acknowledged < seq)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0 || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                signal.Wait(TimeSpan.FromMilliseconds(Math.Min(left, 100)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }
}
