using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// The fields of a WooCommerce REST v3 order that matter for Affinsy. Money fields stay strings, as the
/// API sends them, so no precision is lost before <see cref="WooCommerceOrderMapper"/> divides them.
/// </summary>
public sealed record WooOrder
{
    /// <summary>The order's post id.</summary>
    public long Id { get; init; }

    /// <summary>The order number shown to the merchant (may differ from the id with numbering plugins).</summary>
    public string? Number { get; init; }

    /// <summary>pending, processing, on-hold, completed, cancelled, refunded, failed, trash, checkout-draft.</summary>
    public string? Status { get; init; }

    /// <summary>ISO currency code.</summary>
    public string? Currency { get; init; }

    /// <summary>The registered customer's id; 0 for a guest checkout.</summary>
    public long CustomerId { get; init; }

    /// <summary>The billing address; only the e-mail is used.</summary>
    public WooBilling? Billing { get; init; }

    /// <summary>GMT, without an offset (<c>2025-03-15T10:30:00</c>).</summary>
    public string? DateCreatedGmt { get; init; }

    /// <summary>GMT, without an offset; what incremental reads follow.</summary>
    public string? DateModifiedGmt { get; init; }

    /// <summary>GMT, without an offset; null until paid.</summary>
    public string? DatePaidGmt { get; init; }

    /// <summary>The order's products.</summary>
    public IReadOnlyList<WooLineItem>? LineItems { get; init; }

    /// <summary>Refund summaries (id, reason, total); the refunded quantities are in the refund objects.</summary>
    public IReadOnlyList<WooRefundSummary>? Refunds { get; init; }

    /// <summary>Set when the store's JSON for this order could not be read: why, so the order is refused with it.</summary>
    [JsonIgnore]
    internal string? ReadProblem { get; init; }

    /// <summary>The order's JSON as received, kept only when it could not be read (for the dead letter).</summary>
    [JsonIgnore]
    internal string? RawJson { get; init; }
}

/// <summary>A billing address.</summary>
public sealed record WooBilling
{
    /// <summary>The buyer's e-mail; hashed, never sent as is.</summary>
    public string? Email { get; init; }
}

/// <summary>One product line of an order.</summary>
public sealed record WooLineItem
{
    /// <summary>The line's id, which refund lines point back to.</summary>
    public long Id { get; init; }

    /// <summary>The product name at order time.</summary>
    public string? Name { get; init; }

    /// <summary>The product id.</summary>
    public long ProductId { get; init; }

    /// <summary>The variation id (0 when the product has no variations).</summary>
    public long VariationId { get; init; }

    /// <summary>Quantity ordered, before refunds.</summary>
    public decimal Quantity { get; init; }

    /// <summary>Line total after discounts, before tax, as a decimal string.</summary>
    public string? Total { get; init; }

    /// <summary>Line total before discounts, as a decimal string.</summary>
    public string? Subtotal { get; init; }

    /// <summary>The SKU, often empty.</summary>
    public string? Sku { get; init; }

    /// <summary>Unit price as a JSON number (a PHP float); the fallback when the total cannot be used.</summary>
    public decimal? Price { get; init; }
}

/// <summary>The summary of a refund that an order carries.</summary>
public sealed record WooRefundSummary
{
    /// <summary>The refund's id.</summary>
    public long Id { get; init; }

    /// <summary>Negative amount refunded, as a decimal string.</summary>
    public string? Total { get; init; }
}

/// <summary>A refund object from <c>GET /orders/{id}/refunds</c>.</summary>
public sealed record WooRefund
{
    /// <summary>The refund's id.</summary>
    public long Id { get; init; }

    /// <summary>Refunded lines, with negative quantities.</summary>
    public IReadOnlyList<WooRefundLineItem>? LineItems { get; init; }
}

/// <summary>A refunded line: a negative quantity of one of the order's lines.</summary>
public sealed record WooRefundLineItem
{
    /// <summary>The refund line's own id.</summary>
    public long Id { get; init; }

    /// <summary>The product id, for matching when the line reference is missing.</summary>
    public long ProductId { get; init; }

    /// <summary>The variation id, for matching when the line reference is missing.</summary>
    public long VariationId { get; init; }

    /// <summary>Negative: how many were refunded.</summary>
    public decimal Quantity { get; init; }

    /// <summary>Meta data; <c>_refunded_item_id</c> names the order line this refunds.</summary>
    public IReadOnlyList<WooMetaData>? MetaData { get; init; }
}

/// <summary>A meta data entry; values may be strings, numbers or objects.</summary>
public sealed record WooMetaData
{
    /// <summary>The meta key.</summary>
    public string? Key { get; init; }

    /// <summary>The raw value.</summary>
    public JsonElement Value { get; init; }
}
