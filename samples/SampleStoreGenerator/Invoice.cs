namespace Affinsy.Samples.StoreGenerator;

/// <summary>One invoice: its rows are written contiguously.</summary>
/// <param name="Number">InvoiceNo as written ("C" prefix for cancellations); empty until numbered.</param>
/// <param name="Customer">The registered customer, or null for a guest order.</param>
/// <param name="CustomerId">CustomerID as written; null for guests, assigned when numbered.</param>
/// <param name="Country">Ship-to country.</param>
/// <param name="Time">When it was placed (UTC, whole minutes).</param>
/// <param name="Kind">Sale, cancellation, stock adjustment or empty.</param>
/// <param name="Lines">Its rows, in the order written.</param>
/// <param name="Sequence">Creation order: the tie-break that keeps sorting deterministic.</param>
internal sealed record Invoice(
    string Number,
    Customer? Customer,
    string? CustomerId,
    string Country,
    DateTime Time,
    InvoiceKind Kind,
    IReadOnlyList<InvoiceLine> Lines,
    int Sequence);
