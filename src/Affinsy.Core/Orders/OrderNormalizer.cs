using System.Globalization;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Orders;

/// <summary>
/// Turns what a source read into an order the API accepts: trimmed names, one line per product
/// (quantities summed, unit price the quantity-weighted average, so an upsert keyed on
/// (order_id, product_name) never silently drops a line), zero-quantity lines dropped, dates in UTC.
/// Anything that cannot be sent is refused with a reason instead, except an order with lines of which nothing bought
/// remains (all zero quantities, or lines the source left out as returns): that is skipped by design, not refused.
/// </summary>
public static class OrderNormalizer
{
    /// <summary>Decimal places kept in a merged (weighted average) unit price.</summary>
    public const int MergedPriceDecimals = 6;

    /// <summary>Normalizes a draft built line by line.</summary>
    public static NormalizationResult Normalize(OrderDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (ReasonToRefuse(draft) is { } reason)
        {
            return Refused(reason);
        }

        if (!draft.HasBoughtLine())
        {
            return new NormalizationResult(null, null, draft.LeftOut ?? SkipReason.ZeroQuantity);
        }

        var orderId = OrderRules.Trim(draft.OrderId);
        var lines = new List<LineItem>(draft.DistinctProducts);
        foreach (var (name, totals) in draft.Lines())
        {
            if (totals.Quantity == 0)
            {
                continue;
            }

            var price = totals.PriceTimesQuantity == totals.LastPrice * totals.Quantity
                ? totals.LastPrice
                : Math.Round(totals.PriceTimesQuantity / totals.Quantity, MergedPriceDecimals, MidpointRounding.ToEven);
            lines.Add(new LineItem(name, price, totals.Quantity));
        }

        var customer = OrderRules.Trim(draft.CustomerId);
        var order = new Order(orderId, customer.Length == 0 ? null : customer, draft.OrderDate?.ToUniversalTime(), NullIfBlank(draft.Currency), lines)
        {
            Source = draft.Source,
            SourceUpdatedAt = draft.SourceUpdatedAt,
            DisplayName = draft.DisplayName,
        };
        return new NormalizationResult(order, null);
    }

    /// <summary>
    /// Why <see cref="Normalize(OrderDraft)"/> would refuse the draft, or null when it would not; allocates nothing
    /// for a sendable draft. See <see cref="OrderDraft.WillBeRefused"/>.
    /// </summary>
    internal static string? ReasonToRefuse(OrderDraft draft)
    {
        var orderId = OrderRules.Trim(draft.OrderId);
        if (OrderRules.CheckOrderId(orderId) is { } idProblem)
        {
            return idProblem;
        }

        if (draft.Problem is { } problem)
        {
            return problem;
        }

        if (draft.DistinctProducts > OrderRules.MaxDistinctProducts)
        {
            return string.Create(CultureInfo.InvariantCulture, $"more than {OrderRules.MaxDistinctProducts} distinct products in order '{orderId}': one request carries at most {OrderRules.MaxDistinctProducts} line items; split the order in the source");
        }

        return draft.LinesAdded == 0
            ? $"no line items in order '{orderId}': an order needs at least one product"
            : null;
    }

    /// <summary>Normalizes an order a source built whole (trimming, merging and checking it again).</summary>
    public static NormalizationResult Normalize(Order order) => Normalize(OrderDraft.From(order));

    private static NormalizationResult Refused(string reason) => new(null, reason);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
