using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Jsonl;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// <c>type: jsonl</c>. Keys: <c>path</c> (required; relative to connectors.yaml; <c>.gz</c> decompressed),
/// <c>fields</c> (JSON names for order_id, customer_id, order_date, currency, line_items, product_name,
/// unit_price, quantity), <c>strict</c> (refuse unknown fields, default false), <c>encoding</c>,
/// <c>max_record_bytes</c>, <c>batch_max_orders</c> (default 2,000), <c>batch_max_line_items</c> (default 10,000).
/// </summary>
internal sealed class JsonlSourcePlugin : ISourcePlugin
{
    private static readonly string[] Keys = ["type", "path", "fields", "strict", .. FileSourceBinding.SharedKeys];

    public string Type => JsonlOrderSource.Type;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.RejectUnknownKeys(Keys);
        var options = new JsonlSourceOptions
        {
            Path = section.GetFilePath("path", required: true, mustExist: true) ?? string.Empty,
            Fields = JsonlFields.Read(section),
            Strict = section.GetBool("strict", false),
            BatchMaxOrders = FileSourceBinding.MaxOrders(section),
            BatchMaxLineItems = FileSourceBinding.MaxLineItems(section),
            Encoding = FileSourceBinding.Encoding(section),
            Limits = FileSourceBinding.Limits(section),
        };
        return new BoundSource(context => new JsonlOrderSource(options, context.LoggerFactory.CreateLogger<JsonlOrderSource>()))
        {
            Replayer = _ => new JsonlRecordReplayer(options),
        };
    }
}
