namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// Spaces request starts at least 1/rate apart, so a shared host or a security plugin never sees a burst.
/// Requests are sequential in this connector, so a single next-slot instant is enough. Requests spaced exactly at a
/// host's limit still arrive bunched by network jitter, so each 429 widens the spacing by a tenth (up to double).
/// </summary>
internal sealed class RequestGate(double? requestsPerSecond, TimeProvider time)
{
    private readonly TimeSpan _configured = requestsPerSecond is > 0 ? TimeSpan.FromSeconds(1 / requestsPerSecond.Value) : TimeSpan.Zero;
    private TimeSpan _interval = requestsPerSecond is > 0 ? TimeSpan.FromSeconds(1 / requestsPerSecond.Value) : TimeSpan.Zero;

    /// <summary>The current spacing between request starts.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>The host said too many: space requests a little wider for the rest of the sync.</summary>
    public void Throttled()
    {
        var wider = TimeSpan.FromTicks((long)(_interval.Ticks * 1.1));
        var limit = _configured * 2;
        _interval = wider < limit ? wider : limit;
    }
    private readonly SemaphoreSlim _lock = new(1, 1);
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_next > now)
            {
                await Task.Delay(_next - now, time, cancellationToken).ConfigureAwait(false);
                now = _next;
            }

            _next = now + _interval;
        }
        finally
        {
            _lock.Release();
        }
    }
}
