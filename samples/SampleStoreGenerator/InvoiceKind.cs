namespace Affinsy.Samples.StoreGenerator;

/// <summary>What an invoice records; only sales become baskets downstream.</summary>
internal enum InvoiceKind
{
    /// <summary>A normal order (possibly with a zero-quantity or repeated row in it).</summary>
    Sale,

    /// <summary>"C"-prefixed reversal of (part of) an earlier sale, with negative quantities.</summary>
    Cancellation,

    /// <summary>A stock write-off booked as an invoice: one negative row, price 0, no customer.</summary>
    StockAdjustment,

    /// <summary>A sale whose only row has quantity 0: nothing is left to send after normalization.</summary>
    Empty,
}
