using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// <c>type: jsonl</c>. Keys: <c>path</c> (required; relative to connectors.yaml; <c>.gz</c> decompressed),
/// <c>batch_max_orders</c> (default 2,000), <c>batch_max_line_items</c> (default 10,000).
/// </summary>
internal sealed class JsonlSourcePlugin : ISourcePlugin
{
    private static readonly string[] Keys = ["type", "path", .. FileSourceBinding.BatchKeys];

    public string Type => JsonlOrderSource.Type;

    public SourceFactory? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.RejectUnknownKeys(Keys);
        var options = new JsonlSourceOptions
        {
            Path = section.GetFilePath("path", required: true, mustExist: true) ?? string.Empty,
            BatchMaxOrders = FileSourceBinding.MaxOrders(section),
            BatchMaxLineItems = FileSourceBinding.MaxLineItems(section),
        };
        return _ => new JsonlOrderSource(options);
    }
}
