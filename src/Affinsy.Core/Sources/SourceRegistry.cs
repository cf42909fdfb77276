using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Core.Sources;

/// <summary>
/// The source plugins a process knows, by <c>type</c>. Each connector project adds itself with one
/// extension method (<c>registry.AddFileSources()</c>); the configuration loader looks types up here.
/// </summary>
public sealed class SourceRegistry
{
    private readonly Dictionary<string, ISourcePlugin> _plugins = new(StringComparer.Ordinal);
    private readonly List<Http.SourceHttpClient> _httpClients = [];

    /// <summary>
    /// Message formats connectors contribute to the sources that read one record per message (a Kafka topic's
    /// <c>format:</c>); see <see cref="IOrderMessageFormat"/>.
    /// </summary>
    public MessageFormatRegistry MessageFormats { get; } = new();

    /// <summary>The HTTP clients the registered sources use, for the Host to register with its client factory.</summary>
    public IReadOnlyList<Http.SourceHttpClient> HttpClients => _httpClients;

    /// <summary>Registered type names, sorted.</summary>
    public IReadOnlyList<string> Types => [.. _plugins.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers a plugin; a type can be registered once.</summary>
    public SourceRegistry Add(ISourcePlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        if (!_plugins.TryAdd(plugin.Type, plugin))
        {
            throw new InvalidOperationException($"Source type '{plugin.Type}' is already registered.");
        }

        return this;
    }

    /// <summary>Registers an HTTP client a source uses (its name once), so the Host pools it with its settings.</summary>
    public SourceRegistry AddHttpClient(Http.SourceHttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_httpClients.Any(c => c.Name == client.Name))
        {
            throw new InvalidOperationException($"HTTP client '{client.Name}' is already registered.");
        }

        _httpClients.Add(client);
        return this;
    }

    /// <summary>Registers a plugin of a source that ends on its own, given as a type name and a bind function.</summary>
    public SourceRegistry Add(string type, Func<ConfigSection, SourceFactory?> bind) =>
        Add(new DelegateSourcePlugin(type, bind));

    /// <summary>The plugin for a type, if registered.</summary>
    public bool TryGet(string type, out ISourcePlugin plugin) => _plugins.TryGetValue(type, out plugin!);

    /// <summary>
    /// Binds a <c>source:</c> section: checks <c>type</c> (with a suggestion when misspelled) and lets the
    /// plugin check the rest. Problems go to the section's collector; null when any was found.
    /// </summary>
    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var type = section.GetString("type", required: true);
        if (type is null)
        {
            return null;
        }

        if (!_plugins.TryGetValue(type, out var plugin))
        {
            var known = Types;
            section.Report("type", known.Count == 0
                ? $"unknown source type {section.Describe("type")}: no source plugins are registered"
                : $"unknown source type {section.Describe("type")}" + Suggestions.DidYouMean(type, known));
            return null;
        }

        var before = section.Problems.All.Count;
        var bound = plugin.Bind(section);
        return section.Problems.All.Count == before ? bound : null;
    }

    private sealed class DelegateSourcePlugin(string type, Func<ConfigSection, SourceFactory?> bind) : ISourcePlugin
    {
        public string Type { get; } = type;

        public BoundSource? Bind(ConfigSection section) => bind(section) is { } factory ? new BoundSource(factory) : null;
    }
}
