namespace Affinsy.Core.Sources.Http;

/// <summary>
/// Where a source gets its <see cref="HttpClient"/>s (<see cref="SourceContext.HttpClients"/>): the Host answers from
/// <c>IHttpClientFactory</c>, tests and tools from <see cref="PooledSourceHttpClients"/>. A client handed out shares
/// its name's connection pool; disposing it leaves the pool open.
/// </summary>
public interface ISourceHttpClients
{
    /// <summary>A client for <paramref name="spec"/>'s name, with its timeout and the pool of its handler settings.</summary>
    HttpClient CreateClient(SourceHttpClient spec);
}
