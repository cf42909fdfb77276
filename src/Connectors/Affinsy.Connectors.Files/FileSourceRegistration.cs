using Affinsy.Connectors.Files.Csv;
using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files;

/// <summary>Adds the file sources to a registry.</summary>
public static class FileSourceRegistration
{
    /// <summary>Registers <c>csv</c> and <c>jsonl</c>.</summary>
    public static SourceRegistry AddFileSources(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new CsvSourcePlugin()).Add(new JsonlSourcePlugin());
    }
}
