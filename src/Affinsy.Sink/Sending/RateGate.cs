namespace Affinsy.Sink.Sending;

/// <summary>
/// Paces one user's requests under <c>limit</c> per rolling <c>window</c> so the server never needs to
/// answer 429. Each request holds a slot from before it is sent until <c>window</c> after its answer
/// arrived (the server counts it at arrival, which is no later), so the client's count is never below the server's.
/// The server's own view is folded in: <c>X-RateLimit-Remaining</c> lower than ours means other clients
/// use the same quota (their requests are modelled as slots taken now), and <c>Retry-After</c> closes the gate.
/// </summary>
internal sealed class RateGate
{
    private readonly int limit;
    private readonly TimeSpan window;
    private readonly TimeProvider time;
    private readonly Lock sync = new();
    private readonly List<Slot> slots;
    private DateTimeOffset closedUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource changed = NewSignal();

    public RateGate(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        this.limit = limit;
        this.window = window;
        this.time = time;
        slots = new List<Slot>(limit + 1);
    }

    /// <summary>How many times a request had to wait for the window (for stats and tests).</summary>
    public long Waits { get; private set; }

    /// <summary>Waits until a request may be sent and takes a slot for it; give it back with <see cref="Complete"/>.</summary>
    public async ValueTask<Slot> AcquireAsync(CancellationToken cancellationToken)
    {
        var waited = false;
        while (true)
        {
            Task signal;
            TimeSpan? wait;
            lock (sync)
            {
                var now = time.GetUtcNow();
                Prune(now);
                if (now >= closedUntil && slots.Count < limit)
                {
                    var slot = new Slot();
                    slots.Add(slot);
                    if (waited)
                    {
                        Waits++;
                    }

                    return slot;
                }

                wait = NextOpening(now) - now;
                signal = changed.Task;
            }

            waited = true;
            if (wait is { } delay)
            {
                await signal.WaitAsync(delay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                // Every slot belongs to a request still in flight: only its answer can free one.
                await signal.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Records that the request holding <paramref name="slot"/> was answered (or failed) now, with what the
    /// server said about the quota, if anything.
    /// </summary>
    public void Complete(Slot slot, int? remaining, TimeSpan? retryAfter)
    {
        lock (sync)
        {
            var now = time.GetUtcNow();
            slot.AnsweredAt = now;
            if (retryAfter is { } after && now + after > closedUntil)
            {
                closedUntil = now + after;
            }

            if (remaining is { } serverRemaining)
            {
                Prune(now);
                var ours = limit - slots.Count;
                for (var i = Math.Max(serverRemaining, 0); i < ours; i++)
                {
                    slots.Add(new Slot { AnsweredAt = now });
                }
            }

            var old = changed;
            changed = NewSignal();
            old.TrySetResult();
        }
    }

    private void Prune(DateTimeOffset now) =>
        slots.RemoveAll(s => s.AnsweredAt is { } at && at + window <= now);

    /// <summary>When the gate may next open, or null when only an in-flight answer can open it.</summary>
    private DateTimeOffset? NextOpening(DateTimeOffset now)
    {
        if (slots.Count < limit)
        {
            return closedUntil;
        }

        DateTimeOffset? earliest = null;
        foreach (var slot in slots)
        {
            if (slot.AnsweredAt is { } at && (earliest is null || at + window < earliest))
            {
                earliest = at + window;
            }
        }

        return earliest is { } e && e < closedUntil ? closedUntil : earliest;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One counted request: pending until answered, then counted for a window from its answer.</summary>
    internal sealed class Slot
    {
        public DateTimeOffset? AnsweredAt { get; set; }
    }
}
