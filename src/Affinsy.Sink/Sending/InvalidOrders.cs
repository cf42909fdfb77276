using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Orders;
using Affinsy.Sink.Api;

namespace Affinsy.Sink.Sending;

/// <summary>How a 400's details name the invalid orders of a request, and the dead-letter reason for each.</summary>
internal static class InvalidOrders
{
    public static RejectedOrder Refusal(Order order, ApiError? error, IReadOnlyList<ApiErrorDetail> details)
    {
        var reason = $"Affinsy refused order {order.OrderId}: {error?.Error ?? "invalid"}"
            + (details.Count > 0 ? " (" + string.Join("; ", details.Select(d => $"{d.Path}: {d.Message}")) + ")" : string.Empty)
            + ". Fix the order at the source and sync again.";
        var json = details.Count > 0 ? JsonSerializer.Serialize(details, AffinsyJsonContext.Default.IReadOnlyListApiErrorDetail) : null;
        return new RejectedOrder(order, reason, json);
    }

    /// <summary>Details grouped by the order index their path starts with; null when any detail names no order of this request.</summary>
    public static Dictionary<int, List<ApiErrorDetail>>? GroupByOrder(IReadOnlyList<ApiErrorDetail> details, int orderCount)
    {
        if (details.Count == 0)
        {
            return null;
        }

        var named = new Dictionary<int, List<ApiErrorDetail>>();
        foreach (var detail in details)
        {
            if (OrderIndexOf(detail.Path) is not { } index || index >= orderCount)
            {
                return null;
            }

            if (!named.TryGetValue(index, out var list))
            {
                named[index] = list = [];
            }

            list.Add(detail);
        }

        return named;
    }

    /// <summary>3 for <c>orders[3].line_items[0].quantity</c>.</summary>
    private static int? OrderIndexOf(string? path)
    {
        const string prefix = "orders[";
        if (path is null || !path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOf(']', prefix.Length);
        return end > prefix.Length
            && int.TryParse(path.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? index
                : null;
    }
}
