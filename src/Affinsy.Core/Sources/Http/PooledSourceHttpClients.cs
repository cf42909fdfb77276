using System.Collections.Concurrent;

namespace Affinsy.Core.Sources.Http;

/// <summary>
/// <see cref="ISourceHttpClients"/> without a DI container: one handler per client name, made from the first spec of
/// that name and kept until disposed. <see cref="Shared"/> is the default of <see cref="SourceContext"/>, so tests and
/// tools that build a context by hand reuse one pool per source type for the process, as the Host does.
/// </summary>
public sealed class PooledSourceHttpClients : ISourceHttpClients, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SocketsHttpHandler>> handlers = new(StringComparer.Ordinal);

    /// <summary>The process-wide instance behind <see cref="SourceContext.ForTesting"/> and hand-built contexts.</summary>
    public static PooledSourceHttpClients Shared { get; } = new();

    public HttpClient CreateClient(SourceHttpClient spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var handler = handlers.GetOrAdd(spec.Name, _ => new Lazy<SocketsHttpHandler>(spec.CreateHandler)).Value;
        return new HttpClient(handler, disposeHandler: false) { Timeout = spec.Timeout };
    }

    public void Dispose()
    {
        foreach (var handler in handlers.Values.Where(h => h.IsValueCreated))
        {
            handler.Value.Dispose();
        }

        handlers.Clear();
    }
}
