using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>
/// A fake clock that knows which timers are armed, so a test can move time exactly to the next short wait
/// (rate window, backoff, Retry-After) only when the code under test is actually waiting on one, rather than
/// racing real work with blind steps. Long timers (request timeouts, linger) are not counted as waits.
/// </summary>
internal sealed class SteppingTimeProvider : FakeTimeProvider
{
    private readonly Lock sync = new();
    private readonly Dictionary<TrackedTimer, DateTimeOffset> armed = [];

    /// <summary>Timers due further out than this are not waits to drive (timeouts, linger).</summary>
    public TimeSpan ShortWait { get; init; } = TimeSpan.FromMinutes(10);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(s =>
        {
            Disarm(tracked);
            callback(s);
        }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>When the earliest short wait is due, or null when nothing waits on a short timer.</summary>
    public DateTimeOffset? NextShortWait()
    {
        lock (sync)
        {
            return armed.Count == 0 ? null : armed.Values.Min();
        }
    }

    private void Arm(TrackedTimer timer, TimeSpan dueTime)
    {
        lock (sync)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || dueTime > ShortWait)
            {
                armed.Remove(timer);
            }
            else
            {
                armed[timer] = GetUtcNow() + dueTime;
            }
        }
    }

    private void Disarm(TrackedTimer timer)
    {
        lock (sync)
        {
            armed.Remove(timer);
        }
    }

    private sealed class TrackedTimer(SteppingTimeProvider owner) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            owner.Disarm(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner.Disarm(this);
            return Inner.DisposeAsync();
        }
    }
}
