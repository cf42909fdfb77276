using System.Net;

namespace Affinsy.Core.Sources.Http;

/// <summary>
/// One named HTTP client a source uses, with the connection settings it needs. The connector owns its spec and adds it
/// to the <see cref="SourceRegistry"/> with its plugin; the Host registers every spec there with <c>IHttpClientFactory</c> (one pool per name, shared by the pipelines of that source type),
/// and <see cref="PooledSourceHttpClients"/> builds the same handler for tests and tools.
/// </summary>
public sealed record SourceHttpClient
{
    /// <summary>The client's name, the source type by convention (<c>shopify</c>, <c>woocommerce</c>).</summary>
    public required string Name { get; init; }

    /// <summary>One request's overall limit (<see cref="HttpClient.Timeout"/>; default 100 s, HttpClient's own).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long a pooled connection is reused before it is replaced (default 5 min), so a store's DNS changes are
    /// followed while the pool itself lives as long as the process.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Response encodings the handler asks for and decodes (default none).</summary>
    public DecompressionMethods AutomaticDecompression { get; init; } = DecompressionMethods.None;

    /// <summary>
    /// Whether redirects are followed (default true). A source that sends credentials in its own headers turns it off,
    /// so they never travel to a host the configuration did not name.
    /// </summary>
    public bool AllowAutoRedirect { get; init; } = true;

    /// <summary>The primary handler these settings describe.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = PooledConnectionLifetime,
        AutomaticDecompression = AutomaticDecompression,
        AllowAutoRedirect = AllowAutoRedirect,
    };
}
