namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>
/// One Shopify order with the fields the mapping needs, whichever API it came from (a GraphQL node, a
/// bulk JSONL parent line with its children, a REST order or a webhook payload).
/// </summary>
/// <param name="Id">The numeric order id (from the gid for GraphQL, the <c>id</c> for REST).</param>
/// <param name="Name">The shop-facing label, e.g. "#1001".</param>
/// <param name="CreatedAt">When the order was created in Shopify.</param>
/// <param name="ProcessedAt">When the order was placed (differs from CreatedAt for imported orders).</param>
/// <param name="UpdatedAt">Last modification; drives incremental reads.</param>
/// <param name="CancelledAt">Set for cancelled orders.</param>
/// <param name="Test">True for test orders.</param>
/// <param name="Currency">The shop currency code.</param>
/// <param name="CustomerId">The numeric customer id; null for guests and deleted customers.</param>
/// <param name="Email">The order's email, if any.</param>
/// <param name="Lines">The line items.</param>
public sealed record ShopifyOrder(
    string Id,
    string? Name,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? CancelledAt,
    bool Test,
    string? Currency,
    string? CustomerId,
    string? Email,
    IReadOnlyList<ShopifyLineItem> Lines);

/// <summary>One line item of a <see cref="ShopifyOrder"/>.</summary>
/// <param name="Title">The product title at order time.</param>
/// <param name="VariantTitle">The variant title ("Red / M"), if any.</param>
/// <param name="Sku">The SKU, if any.</param>
/// <param name="Quantity">Units originally ordered.</param>
/// <param name="CurrentQuantity">Units left after removals, edits and refunds.</param>
/// <param name="DiscountedUnitPrice">Unit price after line discounts, in shop currency, when known.</param>
/// <param name="OriginalUnitPrice">Unit price before discounts, in shop currency, when known.</param>
/// <param name="DiscountAllocated">
/// The sum of the line's discount allocations (every discount application's share of the whole line, order-level ones
/// included: GraphQL <c>discountAllocations.allocatedAmountSet</c>, REST <c>discount_allocations[].amount</c>), in shop
/// currency; null when the payload did not carry them.
/// </param>
/// <param name="Problem">Why a field of the line could not be read (a malformed amount), if so: the order is refused.</param>
public sealed record ShopifyLineItem(
    string? Title,
    string? VariantTitle,
    string? Sku,
    int Quantity,
    int CurrentQuantity,
    decimal? DiscountedUnitPrice,
    decimal? OriginalUnitPrice,
    decimal? DiscountAllocated = null,
    string? Problem = null);
