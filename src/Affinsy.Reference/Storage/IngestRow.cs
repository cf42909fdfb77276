namespace Affinsy.Reference.Storage;

/// <summary>One validated (order, product) row of an ingest request, ready to upsert.</summary>
public readonly record struct IngestRow(
    string OrderId,
    string? CustomerId,
    long? OrderDateUnixMs,
    string ProductName,
    double UnitPrice,
    double Quantity);

/// <summary>What an upsert did, as the contract's 200 body reports it.</summary>
public sealed record IngestOutcome(string ImportId, long Inserted, long Updated, long Rejected, string? Warning);
