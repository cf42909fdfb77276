namespace Affinsy.Core.Configuration;

/// <summary>The <c>affinsy.ingest</c> limits the sink respects.</summary>
public sealed record IngestSettings
{
    /// <summary>Line items per request, 1..10,000 (default 10,000, the API maximum).</summary>
    public int MaxLineItemsPerRequest { get; init; } = 10_000;

    /// <summary>Ingest requests in flight per user, 1..2 (default 2, the API's concurrency limit).</summary>
    public int MaxInFlight { get; init; } = 2;

    /// <summary>Requests per minute per user, 1..60 (default 60, the API's rate limit).</summary>
    public int RequestsPerMinute { get; init; } = 60;
}
