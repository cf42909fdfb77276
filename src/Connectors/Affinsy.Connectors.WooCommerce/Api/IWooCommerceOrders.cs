using Affinsy.Connectors.WooCommerce.Mapping;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// The two reads the source needs from a store. <see cref="WooCommerceRestClient"/> implements them over
/// HttpClient; a WooCommerceNET-based client would implement this interface and nothing else would change.
/// </summary>
internal interface IWooCommerceOrders
{
    /// <summary>One page of orders, modified ascending.</summary>
    Task<WooOrderPage> GetOrdersAsync(WooOrderQuery query, CancellationToken cancellationToken);

    /// <summary>The refund objects of one order (with their negative line quantities).</summary>
    Task<IReadOnlyList<WooRefund>> GetRefundsAsync(long orderId, CancellationToken cancellationToken);
}

/// <summary>What to ask <c>GET /orders</c> for.</summary>
/// <param name="ModifiedAfter">Strictly after this GMT instant; null for the whole history.</param>
/// <param name="Statuses">The <c>status</c> filter.</param>
/// <param name="PageSize"><c>per_page</c>, at most 100.</param>
/// <param name="Page">1-based page number.</param>
internal sealed record WooOrderQuery(DateTimeOffset? ModifiedAfter, IReadOnlyList<string> Statuses, int PageSize, int Page);

/// <summary>One page of orders and what the headers say about the rest.</summary>
/// <param name="Orders">The orders, modified ascending.</param>
/// <param name="Total"><c>X-WP-Total</c>, or -1 when missing.</param>
/// <param name="TotalPages"><c>X-WP-TotalPages</c>, or -1 when missing.</param>
/// <param name="HasNext">A <c>Link rel="next"</c> was given, or the page count says there is more.</param>
internal sealed record WooOrderPage(IReadOnlyList<WooOrder> Orders, int Total, int TotalPages, bool HasNext);
