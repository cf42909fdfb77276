using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Benchmarks;

/// <summary>
/// A connector's source built as the Host builds it: a <c>source:</c> section of connectors.yaml bound by the
/// connector's own registration. The benchmarks see a connector only through that public surface.
/// </summary>
internal static class ConfiguredSource
{
    /// <summary>The source of a one-pipeline configuration named <paramref name="pipeline"/> with <paramref name="source"/> (YAML lines) as its section.</summary>
    public static IOrderSource Create(
        SourceRegistry registry, string pipeline, string source, TimeProvider? time = null, ISourceHttpClients? httpClients = null, string? baseDirectory = null)
    {
        var yaml = $"pipelines:\n  - name: {pipeline}\n    dataset_id: {pipeline}\n    source:\n"
            + string.Join('\n', source.Split('\n').Select(l => "      " + l.TrimEnd('\r')));
        var config = ConnectorsConfigLoader.Parse(yaml, "benchmark.yaml", baseDirectory ?? Directory.GetCurrentDirectory(), registry, _ => null);
        return config.Pipelines[0].CreateSource(time ?? TimeProvider.System, NullLoggerFactory.Instance, httpClients);
    }
}
