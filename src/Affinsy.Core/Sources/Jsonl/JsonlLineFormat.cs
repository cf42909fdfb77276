using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Core.Sources.Jsonl;

/// <summary>
/// The JSON Lines order line (<c>{"order_id", "customer_id", "order_date", "currency", "line_items": [{"product_name",
/// "unit_price", "quantity"}]}</c>, names mappable with <c>fields:</c>, unknown names refused with <c>strict</c>) as
/// Core's message-format contract, for sources that get such lines one at a time (<c>http-jsonl</c>): a line means
/// what it means in a <c>jsonl</c> file. Not registered in <c>SourceRegistry.MessageFormats</c>, so the Kafka source's
/// formats stay as they are.
/// </summary>
public static class JsonlLineFormat
{
    /// <summary>The format: name <c>jsonl</c>, keys <c>fields</c> and <c>strict</c> as the <c>jsonl</c> source has them.</summary>
    public static IOrderMessageFormat Format { get; } = new JsonlMessageFormat();
}

/// <summary>See <see cref="JsonlLineFormat"/>.</summary>
internal sealed class JsonlMessageFormat : IOrderMessageFormat
{
    public const string FormatName = "jsonl";

    private static readonly string[] FormatKeys = ["fields", "strict"];

    public string Name => FormatName;

    public IReadOnlyList<string> Keys => FormatKeys;

    public IOrderMessageDecoder Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new JsonlMessageDecoder(JsonlFields.Read(section), section.GetBool("strict", false));
    }
}
