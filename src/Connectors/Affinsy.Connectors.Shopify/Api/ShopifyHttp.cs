using Affinsy.Core.Sources.Http;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>The <c>shopify</c> HTTP client: one pool per process, connections renewed every 5 minutes, 2 minutes per request.</summary>
internal static class ShopifyHttp
{
    /// <summary>What the Host registers with <c>IHttpClientFactory</c> and the source asks <see cref="ISourceHttpClients"/> for.</summary>
    public static readonly SourceHttpClient Client = new()
    {
        Name = "shopify",
        Timeout = TimeSpan.FromMinutes(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
