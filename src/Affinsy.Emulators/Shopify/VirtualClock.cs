using System.Diagnostics;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// A clock that only moves when someone waits on it: every timer fires at once and moves the clock forward by its
/// due time. The emulator's buckets restore against it and the connector's waits use it, so throttling behaves as
/// over real seconds but a test spends none. Only for Task.Delay-style one-shot waits.
/// With <see cref="FlowsWithRealTime"/> (benchmarks) real time also moves it, as it moves a real shop's buckets: work
/// between requests then leaks the bucket too, so skipped waits + wall time is what the run would take against a real
/// shop. Without it (tests) the clock is exact and deterministic.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private readonly long createdAt = Stopwatch.GetTimestamp();
    private long elapsedTicks;

    /// <summary>Real elapsed time moves the clock as well as skipped waits.</summary>
    public bool FlowsWithRealTime { get; init; }

    public DateTimeOffset Start { get; } = start;

    /// <summary>Total time waited on this clock (skipped, not real).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref elapsedTicks));

    public override DateTimeOffset GetUtcNow() => Start + TimeSpan.FromTicks(GetTimestamp());

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() =>
        Interlocked.Read(ref elapsedTicks) + (FlowsWithRealTime ? Stopwatch.GetElapsedTime(createdAt).Ticks : 0);

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
