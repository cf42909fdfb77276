namespace Affinsy.Reference.Http;

/// <summary>
/// The contract's per-user quota: at most N counted requests in any rolling window. A refused request
/// is not counted; Retry-After is the time until the oldest counted request leaves the window.
/// </summary>
internal sealed class RollingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Dictionary<string, Queue<long>> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Limit => limit;

    /// <summary>Counts a request for the user if the quota allows it.</summary>
    public RateDecision TryAcquire(string userId)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var stamps = Trim(userId, now);
            if (stamps.Count < limit)
            {
                stamps.Enqueue(now);
                return new RateDecision(true, limit - stamps.Count, 0);
            }

            var leavesIn = window - time.GetElapsedTime(stamps.Peek(), now);
            var retryAfter = Math.Max(1, (int)Math.Ceiling(leavesIn.TotalSeconds));
            return new RateDecision(false, 0, retryAfter);
        }
    }

    /// <summary>What is left for the user without counting anything (for responses that are not counted).</summary>
    public int Remaining(string userId)
    {
        lock (_gate)
        {
            return limit - Trim(userId, time.GetTimestamp()).Count;
        }
    }

    private Queue<long> Trim(string userId, long now)
    {
        if (!_byUser.TryGetValue(userId, out var stamps))
        {
            stamps = new Queue<long>(Math.Min(limit, 1024));
            _byUser[userId] = stamps;
        }

        while (stamps.Count > 0 && time.GetElapsedTime(stamps.Peek(), now) >= window)
        {
            stamps.Dequeue();
        }

        return stamps;
    }
}

/// <param name="Allowed">Whether the request was counted and may proceed.</param>
/// <param name="Remaining">Requests left in the window after this one.</param>
/// <param name="RetryAfterSeconds">When refused: whole seconds until a slot frees, at least 1.</param>
internal readonly record struct RateDecision(bool Allowed, int Remaining, int RetryAfterSeconds);
