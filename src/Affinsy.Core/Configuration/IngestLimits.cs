namespace Affinsy.Core.Configuration;

/// <summary>One <c>affinsy.ingest</c> setting: its YAML key, the range the API allows and its default (the API's own limit).</summary>
public sealed record IngestLimit(string Key, int Min, int Max, int Default)
{
    /// <summary>Whether the value is within the range.</summary>
    public bool Allows(int value) => value >= Min && value <= Max;
}

/// <summary>
/// The ingest limits, declared once: the configuration reader applies them to <c>affinsy.ingest</c>, the defaults of
/// <see cref="IngestSettings"/> and of the sink's options are theirs, and the sink validates against them. The
/// values are the API's documented limits (../shared/AFFINSY_API.md): 10,000 line items per request, 2 ingests in
/// flight per user, 60 requests per rolling minute.
/// </summary>
public static class IngestLimits
{
    /// <summary>The API's cap on line items in one request, as a constant for code that needs one.</summary>
    public const int ApiMaxLineItemsPerRequest = 10_000;

    public static readonly IngestLimit MaxLineItemsPerRequest = new("max_line_items_per_request", 1, ApiMaxLineItemsPerRequest, ApiMaxLineItemsPerRequest);

    public static readonly IngestLimit MaxInFlight = new("max_in_flight", 1, 2, 2);

    public static readonly IngestLimit RequestsPerMinute = new("requests_per_minute", 1, 60, 60);

    /// <summary>The rate window; other values than the API's 60 s suit test servers.</summary>
    public static readonly IngestLimit WindowSeconds = new("window_seconds", 1, 3600, 60);

    /// <summary>Every limit, in the order the keys are documented.</summary>
    public static IReadOnlyList<IngestLimit> All { get; } = [MaxLineItemsPerRequest, MaxInFlight, RequestsPerMinute, WindowSeconds];
}
