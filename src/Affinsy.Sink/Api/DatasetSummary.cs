namespace Affinsy.Sink.Api;

/// <summary>One dataset as GET /datasets and GET /datasets/{id} describe it.</summary>
public sealed record DatasetSummary(
    string DatasetId,
    long Orders,
    long LineItems,
    long Customers,
    DateTimeOffset? FirstOrderDate,
    DateTimeOffset? LastOrderDate,
    DateTimeOffset? UpdatedAt);

/// <summary>GET /datasets.</summary>
public sealed record DatasetList(IReadOnlyList<DatasetSummary> Datasets);
