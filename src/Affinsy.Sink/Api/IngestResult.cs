namespace Affinsy.Sink.Api;

/// <summary>The 200 answer to POST /data/orders.</summary>
public sealed record IngestResult(
    string ImportId,
    string DatasetId,
    string Status,
    int OrdersReceived,
    int LineItemsReceived,
    int Inserted,
    int Updated,
    int Rejected,
    string? Warning);
