using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;

namespace Affinsy.Connectors.WooCommerce;

/// <summary>A <c>type: woocommerce</c> source, bound from YAML.</summary>
internal sealed record WooCommerceSourceOptions
{
    public static readonly IReadOnlyList<string> DefaultStatuses = ["processing", "completed", "on-hold"];

    /// <summary>The site root; https unless <c>allow_insecure_http</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>REST API consumer key (from the environment).</summary>
    public required string ConsumerKey { get; init; }

    /// <summary>REST API consumer secret (from the environment).</summary>
    public required string ConsumerSecret { get; init; }

    /// <summary>The statuses read (default processing, completed, on-hold).</summary>
    public IReadOnlyList<string> Statuses { get; init; } = DefaultStatuses;

    /// <summary>How far before the checkpoint each incremental read starts (default 10 minutes).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Orders per request, at most 100 (default 100).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Product name and customer id choices.</summary>
    public WooCommerceMapping Mapping { get; init; } = new();

    /// <summary>Requests per second at most; null for no cap.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>The first sync reads orders modified at or after this instant; null (default) for the whole history.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>How requests carry the key (default auto: Basic over https, OAuth 1.0a over http).</summary>
    public StoreAuth Auth { get; init; } = StoreAuth.Auto;

    /// <summary>The OAuth 1.0a HMAC (default HMAC-SHA256).</summary>
    public OAuthSignatureMethod SignatureMethod { get; init; } = OAuthSignatureMethod.HmacSha256;

    /// <summary>One request's time limit (default 60 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
