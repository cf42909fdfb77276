using Affinsy.Core.Orders;
using Affinsy.Core.Sources.Messages;
using Affinsy.Core.Sources.Text;

namespace Affinsy.Core.Sources.Jsonl;

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
