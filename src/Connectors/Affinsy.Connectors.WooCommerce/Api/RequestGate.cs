namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// Paces requests to a configured rate R without losing the host's allowance, under two rules:
/// <list type="bullet">
/// <item>Starts are spaced 1/R apart on a fixed grid, so a shared host or a security plugin never sees a burst. Several
/// requests may wait at once (the next page and refund reads): each takes the next slot as soon as it is due, so slots
/// are used back to back instead of being lost to the time a request or its mapping takes; the grid advances from the
/// slot, not from when the timer fired, so timer lateness does not accumulate.</item>
/// <item>Of any N = max(1, ⌊R⌋) requests, the last starts only a window W = N/R after the first one's answer arrived.
/// The host counts arrivals, which fall somewhere between a request's start and its answer; so no window of W ever
/// holds more than N arrivals, whatever the network jitter, at the cost of one answer's latency per window. (Spacing
/// starts alone lets a delayed request bunch with later ones, and a sliding-window host answers 429.)</item>
/// </list>
/// Each 429 still widens the spacing by a tenth (up to double), for hosts stricter than the configured rate.
/// </summary>
internal sealed class RequestGate
{
    private readonly TimeProvider time;
    private readonly TimeSpan configured;
    private readonly int perWindow;
    private readonly Queue<RequestSlot> recent = new();
    private readonly SemaphoreSlim turn = new(1, 1);
    private DateTimeOffset next = DateTimeOffset.MinValue;

    public RequestGate(double? requestsPerSecond, TimeProvider time)
    {
        this.time = time;
        configured = requestsPerSecond is > 0 ? TimeSpan.FromSeconds(1 / requestsPerSecond.Value) : TimeSpan.Zero;
        Interval = configured;
        perWindow = requestsPerSecond is > 0 ? Math.Max(1, (int)Math.Floor(requestsPerSecond.Value)) : 0;
    }

    /// <summary>The current spacing between request starts.</summary>
    public TimeSpan Interval { get; private set; }

    /// <summary>The window that holds at most <c>N</c> requests (N intervals).</summary>
    public TimeSpan Window => Interval * perWindow;

    /// <summary>The host said too many: space requests a little wider for the rest of the sync.</summary>
    public void Throttled()
    {
        var wider = TimeSpan.FromTicks((long)(Interval.Ticks * 1.1));
        var limit = configured * 2;
        Interval = wider < limit ? wider : limit;
    }

    /// <summary>
    /// Waits for the next free slot; callers get one slot each, in about the order they came. Dispose the returned
    /// slot as soon as the answer has arrived (or the request failed).
    /// </summary>
    public async Task<RequestSlot> WaitAsync(CancellationToken cancellationToken)
    {
        if (Interval == TimeSpan.Zero)
        {
            return RequestSlot.Unpaced;
        }

        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var slot = next > now ? next : now;
            if (recent.Count == perWindow)
            {
                var first = recent.Dequeue();
                var answered = await first.AnsweredAsync(cancellationToken).ConfigureAwait(false);
                now = time.GetUtcNow();
                slot = Later(slot, Later(answered + Window, now));
            }

            while (slot > now)
            {
                // Timers run on a millisecond tick and may fire up to a tick early; a window must not end early.
                await Task.Delay(slot - now, time, cancellationToken).ConfigureAwait(false);
                now = time.GetUtcNow();
            }

            next = slot + Interval;
            var started = new RequestSlot(time);
            recent.Enqueue(started);
            return started;
        }
        finally
        {
            turn.Release();
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
