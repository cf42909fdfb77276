using System.Globalization;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// Paces REST calls from <c>X-Shopify-Shop-Api-Call-Limit: used/size</c>: Shopify's leaky bucket drains
/// size/20 calls a second (40 → 2/s, Plus 400 → 20/s), so the next call waits until one slot is free.
/// </summary>
internal sealed class CallLimitPacer(TimeProvider time)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);
    private readonly Lock sync = new();
    private double used;
    private double size;
    private long observedAt;

    /// <summary>How long to wait before the next call fits in the bucket.</summary>
    public TimeSpan WaitForSlot()
    {
        lock (sync)
        {
            if (size <= 0)
            {
                return TimeSpan.Zero;
            }

            var leak = size / 20;
            var level = Math.Max(0, used - (leak * time.GetElapsedTime(observedAt).TotalSeconds));
            var over = level + 1 - size;
            return over <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(over / leak) + Margin;
        }
    }

    /// <summary>Reads the header of a response; ignores it when absent or malformed.</summary>
    public void Observe(string? header)
    {
        if (header is null)
        {
            return;
        }

        var slash = header.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !double.TryParse(header.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var u)
            || !double.TryParse(header.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            || s <= 0)
        {
            return;
        }

        lock (sync)
        {
            used = u;
            size = s;
            observedAt = time.GetTimestamp();
        }
    }
}
