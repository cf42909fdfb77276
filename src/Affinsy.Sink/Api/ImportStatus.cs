namespace Affinsy.Sink.Api;

/// <summary>GET /data/imports/{import_id}.</summary>
public sealed record ImportStatus(
    string ImportId,
    string DatasetId,
    string Status,
    int Inserted,
    int Updated,
    int Rejected,
    DateTimeOffset CreatedAt);
