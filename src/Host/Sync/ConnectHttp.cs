using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Affinsy.Host.Sync;

/// <summary>
/// The one place the Host's HTTP clients are made: named clients of <see cref="IHttpClientFactory"/>, one pool each for
/// the process. Sources get theirs through <see cref="ISourceHttpClients"/> (each connector's spec, as it registered it);
/// the sink, <c>check</c> and the report commands by name. Handlers live as long as the process (connections are
/// renewed by each spec's <see cref="SourceHttpClient.PooledConnectionLifetime"/>, not by rotating handlers), and the
/// factory's per-request logs are removed: each client logs what a user needs itself, and a URL may carry a key.
/// </summary>
internal static class ConnectHttp
{
    /// <summary>The sink's client: its own pacing, retries and time limits, so no overall timeout.</summary>
    public const string Affinsy = "affinsy";

    /// <summary><c>check</c>'s client for Affinsy: a connect that hangs fails after <see cref="AffinsyCheck.ConnectTimeout"/>.</summary>
    public const string Check = "affinsy-check";

    /// <summary>The report commands' client (HttpClient's default 100 s per request).</summary>
    public const string Reports = "affinsy-reports";

    /// <summary>
    /// Registers every source client the registered connectors declare (<c>SourceRegistry.AddHttpClient</c> in their
    /// <c>AddXxxSource()</c>; a source whose spec is missing still gets its timeout, on a default handler) and the
    /// Host's own three.
    /// </summary>
    public static IServiceCollection AddConnectHttp(this IServiceCollection services, SourceRegistry sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var spec in sources.HttpClients)
        {
            services.AddHttpClient(spec.Name, c => c.Timeout = spec.Timeout)
                .ConfigurePrimaryHttpMessageHandler(spec.CreateHandler)
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
                .RemoveAllLoggers();
        }

        services.AddHttpClient(Affinsy, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHttpClient(Check, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectTimeout = AffinsyCheck.ConnectTimeout })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHttpClient(Reports)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddSingleton<ISourceHttpClients, FactorySourceHttpClients>();
        return services;
    }

    /// <summary>Sources' clients from the factory, by their spec's name.</summary>
    private sealed class FactorySourceHttpClients(IHttpClientFactory factory) : ISourceHttpClients
    {
        public HttpClient CreateClient(SourceHttpClient spec)
        {
            ArgumentNullException.ThrowIfNull(spec);
            var client = factory.CreateClient(spec.Name);
            client.Timeout = spec.Timeout;
            return client;
        }
    }
}
