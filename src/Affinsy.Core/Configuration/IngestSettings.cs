namespace Affinsy.Core.Configuration;

/// <summary>The <c>affinsy.ingest</c> limits the sink respects; their ranges and defaults are <see cref="IngestLimits"/>.</summary>
public sealed record IngestSettings
{
    /// <summary>Line items per request, 1..10,000 (default 10,000, the API maximum).</summary>
    public int MaxLineItemsPerRequest { get; init; } = IngestLimits.MaxLineItemsPerRequest.Default;

    /// <summary>Ingest requests in flight per user, 1..2 (default 2, the API's concurrency limit).</summary>
    public int MaxInFlight { get; init; } = IngestLimits.MaxInFlight.Default;

    /// <summary>
    /// Requests per user per rate window, 1..60 (default 60, the API's rate limit). Named per minute
    /// because the API's window is a minute; with <see cref="WindowSeconds"/> changed it counts per window.
    /// </summary>
    public int RequestsPerMinute { get; init; } = IngestLimits.RequestsPerMinute.Default;

    /// <summary>The rolling rate window in seconds, 1..3600 (default 60, the API's). Other values suit test servers.</summary>
    public int WindowSeconds { get; init; } = IngestLimits.WindowSeconds.Default;
}
