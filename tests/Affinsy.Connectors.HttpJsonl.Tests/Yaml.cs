using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>Binds a <c>source:</c> section through the configuration loader and the registration the Host uses.</summary>
internal static class Yaml
{
    public static ConnectorsConfig Parse(string source, IReadOnlyDictionary<string, string>? environment = null)
    {
        var yaml = "pipelines:\n  - name: feed\n    dataset_id: feed\n    source:\n"
            + string.Join('\n', source.Split('\n').Select(l => "      " + l.TrimEnd('\r')));
        return ConnectorsConfigLoader.Parse(
            yaml, "test.yaml", Directory.GetCurrentDirectory(), new SourceRegistry().AddHttpJsonlSource(), k => environment?.GetValueOrDefault(k));
    }

    public static HttpJsonlSourceOptions Options(string source, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.IsType<HttpJsonlOrderSource>(Parse(source, environment).Pipelines[0].CreateSource(TimeProvider.System, NullLoggerFactory.Instance)).Options;
}
