using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// The outcome of mapping one Shopify order: a draft to normalize, or the reason it was skipped on purpose
/// (cancelled, test, nothing left after refunds). A skip is configuration, not an error: it is counted, not
/// dead-lettered.
/// </summary>
/// <param name="Draft">The order to normalize, when not skipped.</param>
/// <param name="Skipped">Why the order is not sent, when skipped.</param>
public readonly record struct ShopifyMapping(OrderDraft? Draft, ShopifySkip Skipped)
{
    /// <summary>The skip as every source reports it (<c>NothingLeft</c> is <see cref="SkipReason.Refunded"/>); null when not skipped.</summary>
    public SkipReason? Reason => Skipped switch
    {
        ShopifySkip.Cancelled => SkipReason.Cancelled,
        ShopifySkip.Test => SkipReason.Test,
        ShopifySkip.NothingLeft => SkipReason.Refunded,
        _ => null,
    };
}

/// <summary>Why an order was deliberately not sent.</summary>
public enum ShopifySkip
{
    /// <summary>Not skipped.</summary>
    None,

    /// <summary>Cancelled, and <c>include_cancelled</c> is off.</summary>
    Cancelled,

    /// <summary>A test order, and <c>include_test_orders</c> is off.</summary>
    Test,

    /// <summary>Every line was removed or refunded: nothing was bought.</summary>
    NothingLeft,
}
