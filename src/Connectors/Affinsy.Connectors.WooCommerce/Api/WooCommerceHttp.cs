using System.Net;
using Affinsy.Core.Sources.Http;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// The <c>woocommerce</c> HTTP client: one pool per process, connections renewed every 5 minutes so a store's DNS
/// changes are followed, compressed answers accepted. No overall timeout: each request has its own
/// (<see cref="WooCommerceClientOptions.RequestTimeout"/>, on the injected clock).
/// </summary>
internal static class WooCommerceHttp
{
    /// <summary>What the Host registers with <c>IHttpClientFactory</c> and the source asks <see cref="ISourceHttpClients"/> for.</summary>
    public static readonly SourceHttpClient Client = new()
    {
        Name = "woocommerce",
        Timeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
    };
}
