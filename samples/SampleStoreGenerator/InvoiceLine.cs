namespace Affinsy.Samples.StoreGenerator;

/// <summary>One CSV row: a product, how many (negative on cancellations and stock adjustments) and the unit price.</summary>
internal sealed record InvoiceLine(Product Product, int Quantity, int PriceCents);
