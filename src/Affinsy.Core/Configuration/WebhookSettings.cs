namespace Affinsy.Core.Configuration;

/// <summary>The <c>webhooks:</c> section: the receiver for report completion callbacks.</summary>
public sealed record WebhookSettings
{
    /// <summary>The default receiver path.</summary>
    public const string DefaultPath = "/hooks/affinsy";

    /// <summary>Where the receiver listens (<c>http://127.0.0.1:5080</c>); null: no receiver, poll instead.</summary>
    public Uri? Listen { get; init; }

    /// <summary>The path webhooks are posted to (default <c>/hooks/affinsy</c>).</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>The URL Affinsy can reach the receiver at, when different from <see cref="Listen"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The largest body the receiver reads (<c>max_body_bytes</c>, default 64 KiB); larger ones get 413 unread.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// How old a delivery's <c>timestamp</c> may be (<c>max_age</c>, default 10 minutes) before it is refused as a
    /// replay. Defence in depth: the signature does not cover a timestamp header, only the body that holds this one.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);
}
