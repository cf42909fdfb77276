namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// Spaces request starts at least 1/rate apart, so a shared host or a security plugin never sees a burst.
/// Requests are sequential in this connector, so a single next-slot instant is enough.
/// </summary>
internal sealed class RequestGate(double? requestsPerSecond, TimeProvider time)
{
    private readonly TimeSpan _interval = requestsPerSecond is > 0 ? TimeSpan.FromSeconds(1 / requestsPerSecond.Value) : TimeSpan.Zero;
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
