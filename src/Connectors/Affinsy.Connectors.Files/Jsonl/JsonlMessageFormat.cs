using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// The <c>jsonl</c> source's line format as Core's message-format contract, for sources that get the same lines from
/// elsewhere (<c>http-jsonl</c>): they read a line exactly as the file source does, with the same <c>fields:</c> and
/// <c>strict</c>, and see nothing of this project but <see cref="IOrderMessageFormat"/>. Not registered in
/// <c>SourceRegistry.MessageFormats</c>, so the Kafka source's formats stay as they are.
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
        return new JsonlMessageDecoder(JsonlSourcePlugin.ReadFields(section), section.GetBool("strict", false));
    }
}

/// <summary>
/// One line to one draft. The parser keeps reusable buffers and a name table, so calls are serialized by a lock:
/// uncontended on a source's single reading loop, and safe should two runs of a pipeline share the binding.
/// </summary>
internal sealed class JsonlMessageDecoder(JsonlFields fields, bool strict) : IOrderMessageDecoder
{
    private const string Expected = "with order_id and line_items[product_name, unit_price, quantity] (the jsonl source's line)";
    private readonly Lock _gate = new();
    private readonly JsonlOrderParser _parser = new(fields, strict, new NameTable());
    private readonly JsonlRecord _record = new();

    public DecodedMessage Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return DecodedMessage.Empty(Expected);
        }

        lock (_gate)
        {
            if (_parser.Parse(value, _record) is { } problem)
            {
                return DecodedMessage.Refused(problem, _record.OrderId);
            }

            var draft = new OrderDraft(_record.OrderId)
            {
                CustomerId = _record.CustomerId,
                OrderDate = _record.OrderDate,
                Currency = _record.Currency,
                Source = JsonlMessageFormat.FormatName,
            };
            foreach (var item in _record.Items)
            {
                draft.AddLine(item.ProductName, item.UnitPrice, item.Quantity);
            }

            return DecodedMessage.Order(draft);
        }
    }
}
