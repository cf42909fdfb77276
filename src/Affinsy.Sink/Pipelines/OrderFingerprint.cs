using System.IO.Hashing;
using System.Runtime.InteropServices;
using Affinsy.Core.Orders;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// A 64-bit XXH3 hash of exactly what the API receives of an order (<see cref="Api.OrderWireFormat"/>): its id,
/// customer, date and line items; not the fields that never leave this process. Line items are hashed one by one
/// and summed, so the same lines in another order hash the same (the API stores them as rows keyed by product).
/// Strings are hashed as their UTF-16 code units (little-endian on every platform .NET runs this on), decimals
/// as their bits, so 1.5 and 1.50 differ exactly as the JSON the API gets differs. No allocation per order.
/// </summary>
internal static class OrderFingerprint
{
    [ThreadStatic]
    private static XxHash3? t_order;

    [ThreadStatic]
    private static XxHash3? t_line;

    public static long Of(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var hash = t_order ??= new XxHash3();
        var line = t_line ??= new XxHash3();
        hash.Reset();
        AppendString(hash, order.OrderId);
        AppendString(hash, order.CustomerId);
        AppendInt64(hash, order.OrderDate is { } date ? date.UtcTicks : long.MinValue);
        ulong lines = 0;
        foreach (var item in order.LineItems)
        {
            line.Reset();
            AppendString(line, item.ProductName);
            AppendDecimal(line, item.UnitPrice);
            AppendDecimal(line, item.Quantity);
            lines = unchecked(lines + line.GetCurrentHashAsUInt64());
        }

        AppendInt64(hash, order.LineItems.Count);
        AppendInt64(hash, unchecked((long)lines));
        return unchecked((long)hash.GetCurrentHashAsUInt64());
    }

    private static void AppendString(XxHash3 hash, string? value)
    {
        // The length first, so ("ab", "c") and ("a", "bc") differ; -1 marks an absent value.
        AppendInt64(hash, value?.Length ?? -1);
        if (value is not null)
        {
            hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
        }
    }

    private static void AppendDecimal(XxHash3 hash, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        hash.Append(MemoryMarshal.AsBytes(bits));
    }

    private static void AppendInt64(XxHash3 hash, long value) =>
        hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in value)));
}
