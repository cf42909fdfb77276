namespace Affinsy.Emulators.WooCommerce;

/// <summary>An order as the emulated store keeps it; serialized the way WooCommerce REST v3 shows it.</summary>
public sealed class EmulatedOrder
{
    public required long Id { get; init; }

    public required string Number { get; set; }

    public required string Status { get; set; }

    public string Currency { get; set; } = "EUR";

    /// <summary>0 for a guest.</summary>
    public long CustomerId { get; set; }

    public string Email { get; set; } = string.Empty;

    public required DateTime CreatedGmt { get; init; }

    public required DateTime ModifiedGmt { get; set; }

    public DateTime? PaidGmt { get; set; }

    /// <summary>Shipping charged (a shipping line; not a product).</summary>
    public decimal Shipping { get; set; }

    /// <summary>When set, served verbatim instead of the serialized order: an order a plugin or an import broke.</summary>
    public string? RawJson { get; set; }

    public List<EmulatedLine> Lines { get; } = [];

    public List<EmulatedRefund> Refunds { get; } = [];

    /// <summary>How many of a line the refunds took back.</summary>
    public decimal RefundedQuantity(long lineId) =>
        Refunds.SelectMany(r => r.Lines).Where(l => l.RefundedItemId == lineId).Sum(l => -l.Quantity);
}

/// <summary>A product line; totals are decimal strings on the wire.</summary>
public sealed class EmulatedLine
{
    public required long Id { get; init; }

    /// <summary>The product's name as a shopper reads it (what Affinsy should receive).</summary>
    public required string Name { get; set; }

    /// <summary>The name as the store saved it, with HTML entities (<c>Tea &amp;amp; Cake</c>); null: <see cref="Name"/>.</summary>
    public string? StoredName { get; set; }

    public required long ProductId { get; init; }

    public long VariationId { get; init; }

    /// <summary>Null when the product was deleted (the API then sends <c>"sku": null</c>).</summary>
    public string? Sku { get; init; } = string.Empty;

    public required decimal Quantity { get; set; }

    /// <summary>Before discounts.</summary>
    public required decimal Subtotal { get; set; }

    /// <summary>After discounts.</summary>
    public required decimal Total { get; set; }
}

/// <summary>A refund object with its negative lines.</summary>
public sealed class EmulatedRefund
{
    public required long Id { get; init; }

    public required DateTime CreatedGmt { get; init; }

    public string Reason { get; init; } = string.Empty;

    public List<EmulatedRefundLine> Lines { get; } = [];

    /// <summary>When false the refund lines carry no <c>_refunded_item_id</c> meta (as some stores answer).</summary>
    public bool WithItemReference { get; init; } = true;

    public decimal Amount => -Lines.Sum(l => l.Total);
}

/// <summary>A refunded line: negative quantity and total.</summary>
public sealed class EmulatedRefundLine
{
    public required long Id { get; init; }

    public required long RefundedItemId { get; init; }

    public required string Name { get; init; }

    public required long ProductId { get; init; }

    public long VariationId { get; init; }

    /// <summary>Negative.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>Negative.</summary>
    public required decimal Total { get; init; }
}
