namespace Affinsy.Testing.Shopify;

/// <summary>
/// A clock that only moves when someone waits on it: every timer fires at once and moves the clock forward by its
/// due time. The emulator's buckets restore against it and the connector's waits use it, so throttling behaves as
/// over real seconds but a test spends none. Only for Task.Delay-style one-shot waits.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long elapsedTicks;

    public DateTimeOffset Start { get; } = start;

    /// <summary>Total time waited on this clock.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref elapsedTicks));

    public override DateTimeOffset GetUtcNow() => Start + Elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref elapsedTicks);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref elapsedTicks, by.Ticks);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SkipTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SkipTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private int fired;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || Interlocked.Exchange(ref fired, 1) == 1)
            {
                return true;
            }

            clock.Advance(dueTime);
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref fired, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
