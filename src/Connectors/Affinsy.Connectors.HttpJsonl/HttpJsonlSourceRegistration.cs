using Affinsy.Core.Sources;

namespace Affinsy.Connectors.HttpJsonl;

/// <summary>Adds the paged JSON Lines endpoint source to a registry.</summary>
public static class HttpJsonlSourceRegistration
{
    /// <summary>Registers <c>http-jsonl</c>.</summary>
    public static SourceRegistry AddHttpJsonlSource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AddHttpClient(HttpJsonlSourcePlugin.Client).Add(new HttpJsonlSourcePlugin());
    }
}
