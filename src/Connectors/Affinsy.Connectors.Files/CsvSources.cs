using Affinsy.Connectors.Files.Csv;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Files;

/// <summary>
/// A CSV source built in code rather than from YAML (the ingest-resync benchmark), so that the source's options and
/// reader stay internal: only what <c>type: csv</c> with no key but <c>path</c> would read.
/// </summary>
public static class CsvSources
{
    /// <summary>The file at <paramref name="path"/> with the default columns (<c>.gz</c> is decompressed).</summary>
    public static IOrderSource Open(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new CsvOrderSource(new CsvSourceOptions { Path = Path.GetFullPath(path) }, logger);
    }
}
