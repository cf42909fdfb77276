namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>How to reach a store and how patient to be with it.</summary>
internal sealed record WooCommerceClientOptions
{
    /// <summary>The site root (<c>https://shop.example.com/</c>); the API is under <c>wp-json/wc/v3/</c>.</summary>
    public required Uri SiteUrl { get; init; }

    /// <summary>REST API consumer key (<c>ck_...</c>).</summary>
    public required string ConsumerKey { get; init; }

    /// <summary>REST API consumer secret (<c>cs_...</c>).</summary>
    public required string ConsumerSecret { get; init; }

    /// <summary>How requests carry the key (default <see cref="StoreAuth.Auto"/>: Basic over https, OAuth 1.0a over http).</summary>
    public StoreAuth Auth { get; init; } = StoreAuth.Auto;

    /// <summary>The HMAC of OAuth 1.0a signatures (default HMAC-SHA256).</summary>
    public OAuthSignatureMethod SignatureMethod { get; init; } = OAuthSignatureMethod.HmacSha256;

    /// <summary>Requests per second at most; null for no cap (default). For fragile shared hosting.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>One request's time limit before it is abandoned and retried (default 60 s: shared hosts are slow).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request, first included (default 8).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>First back-off without a <c>Retry-After</c> (default 2 s), doubling per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts, <c>Retry-After</c> included (default 120 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(120);
}
