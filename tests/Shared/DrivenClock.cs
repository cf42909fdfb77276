using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Testing;

/// <summary>
/// A fake clock that knows the earliest timer armed on it, so a test moves time only when the code under
/// test waits (rate window, backoff, Retry-After, linger) instead of stepping blindly past real work.
/// Timers further out than <see cref="ShortWait"/> (request timeouts) are never driven. Shared as source by
/// the test projects that drive a clock (linked, so they need not reference Affinsy.Testing's fixtures).
/// </summary>
internal sealed class DrivenClock : FakeTimeProvider
{
    private readonly Lock sync = new();
    private readonly Dictionary<object, DateTimeOffset> armed = [];
    private TaskCompletionSource armedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DrivenClock()
    {
    }

    public DrivenClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Timers due further out than this are not waits to drive (timeouts, linger).</summary>
    public TimeSpan ShortWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When the earliest short timer is due, or null when nothing waits on one.</summary>
    public DateTimeOffset? NextWait()
    {
        lock (sync)
        {
            return armed.Count == 0 ? null : armed.Values.Min();
        }
    }

    /// <summary>Completes the next time a short timer is armed; take it before checking <see cref="NextWait"/>.</summary>
    public Task NextArming
    {
        get
        {
            lock (sync)
            {
                return armedSignal.Task;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(
            s =>
            {
                Disarm(tracked);
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private void Arm(object timer, TimeSpan dueTime)
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
                armedSignal.TrySetResult();
                armedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Disarm(object timer)
    {
        lock (sync)
        {
            armed.Remove(timer);
        }
    }

    private sealed class TrackedTimer(DrivenClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Disarm(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock.Disarm(this);
            return Inner.DisposeAsync();
        }
    }
}
