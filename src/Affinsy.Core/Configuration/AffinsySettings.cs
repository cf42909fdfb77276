namespace Affinsy.Core.Configuration;

/// <summary>
/// The <c>affinsy:</c> section: where to send and how hard. A class, not a record, so the API key
/// never shows up in a generated <c>ToString()</c>.
/// </summary>
public sealed class AffinsySettings
{
    /// <summary>The word that selects the in-process reference server.</summary>
    public const string Embedded = "embedded";

    /// <summary>What to do about an empty key with a remote <see cref="BaseUrl"/>, shared by <c>validate</c> and <c>sync</c>.</summary>
    public const string MissingKeyAdvice = "keys start with afn_; or use base_url: embedded to run offline";

    /// <summary><c>embedded</c> (default) or an http(s) URL such as <c>https://www.affinsy.com/api/v1</c>.</summary>
    public string BaseUrl { get; init; } = Embedded;

    /// <summary>True when <see cref="BaseUrl"/> is <c>embedded</c>.</summary>
    public bool IsEmbedded => BaseUrl == Embedded;

    /// <summary>The base URL as a URI; null when embedded.</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>The API key (<c>afn_...</c>); null when not set. Never log it.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The <c>ingest:</c> limits.</summary>
    public IngestSettings Ingest { get; init; } = new();

    /// <summary>What to do when Affinsy skips inserts because the plan's row cap is reached (default warn).</summary>
    public PlanCapPolicy OnPlanCap { get; init; } = PlanCapPolicy.Warn;

    /// <inheritdoc />
    public override string ToString() => $"base_url={BaseUrl} api_key={(ApiKey is null ? "(none)" : "(set)")}";
}
