using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources.Text;

namespace Affinsy.Core.Sources.Jsonl;

/// <summary>
/// Reads one JSON Lines order with a <see cref="Utf8JsonReader"/> over the line's bytes, by the configured
/// field names. A required field that is missing, a value of the wrong type, a repeated field or (with
/// <c>strict</c>) an unknown one refuses the line with a reason naming the field; nothing gets a default. Public for
/// the sources that read such lines in their own loop (the <c>jsonl</c> file source, which groups them into batches
/// itself); a source that takes one line at a time uses <see cref="JsonlLineFormat"/>. Keeps reusable buffers, so one
/// instance serves one reading loop.
/// </summary>
/// <param name="fields">The names read.</param>
/// <param name="strict">Refuse a line holding a name that is not read.</param>
/// <param name="names">Where product names and other repeated text are interned.</param>
public sealed partial class JsonlOrderParser(JsonlFields fields, bool strict, NameTable names)
{
    private readonly List<string> _unknown = [];
    private readonly byte[][] _orderFields = [fields.OrderId, fields.CustomerId, fields.OrderDate, fields.Currency, fields.LineItems];
    private readonly byte[][] _itemFields = [fields.ProductName, fields.UnitPrice, fields.Quantity];
    private JsonlItem _item;

    /// <summary>Fills <paramref name="into"/>; null when the line is a sendable shape, else why not.</summary>
    public string? Parse(ReadOnlySpan<byte> line, JsonlRecord into)
    {
        into.Clear();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"expected a JSON object with {JsonlFields.Text(fields.OrderId)} and {JsonlFields.Text(fields.LineItems)}, found {Describe(reader.TokenType)}";
            }

            var problem = ReadOrder(ref reader, into);
            if (problem is null && reader.Read())
            {
                return "more than one JSON value on the line: each line must be one order object";
            }

            return problem;
        }
        catch (JsonException e)
        {
            return $"not valid JSON ({e.Message.Split(" Path:", 2)[0].TrimEnd('.')}): each line must be one JSON object";
        }
    }

    private string? ReadOrder(ref Utf8JsonReader reader, JsonlRecord into)
    {
        _unknown.Clear();
        var seen = 0;
        var hasItems = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Match(ref reader, _orderFields);
            reader.Read();
            if (Twice(ref seen, field, _orderFields, "order") is { } twice)
            {
                return twice;
            }

            string? problem;
            switch (field)
            {
                case 0:
                    problem = ReadId(ref reader, fields.OrderId, out var id);
                    into.OrderId = id?.Trim();
                    break;
                case 1:
                    problem = ReadId(ref reader, fields.CustomerId, out var customer);
                    into.CustomerId = string.IsNullOrWhiteSpace(customer) ? null : customer;
                    break;
                case 2:
                    problem = ReadDate(ref reader, into);
                    break;
                case 3:
                    problem = ReadText(ref reader, fields.Currency, "", out var currency);
                    into.Currency = currency;
                    break;
                case 4:
                    problem = ReadItems(ref reader, into, out hasItems);
                    break;
                default:
                    problem = Unknown(ref reader, "");
                    break;
            }

            if (problem is not null)
            {
                return problem;
            }
        }

        if ((seen & 1) == 0)
        {
            return fields.Missing("", "order_id", fields.OrderId, _unknown);
        }

        if (OrderRules.CheckOrderId(into.OrderId) is { } idProblem)
        {
            return idProblem;
        }

        return hasItems ? null : fields.Missing("", "line_items", fields.LineItems, _unknown);
    }

    private string? ReadItems(ref Utf8JsonReader reader, JsonlRecord into, out bool present)
    {
        present = reader.TokenType != JsonTokenType.Null;
        if (!present)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return $"'{JsonlFields.Text(fields.LineItems)}' must be an array of line items, found {Describe(reader.TokenType)}";
        }

        var orderUnknown = _unknown.Count;
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            var where = $"{JsonlFields.Text(fields.LineItems)}[{index.ToString(CultureInfo.InvariantCulture)}]: ";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"{where}expected a line item object, found {Describe(reader.TokenType)}";
            }

            if (ReadItem(ref reader, where) is { } problem)
            {
                return problem;
            }

            into.ItemList.Add(_item);
            _unknown.RemoveRange(orderUnknown, _unknown.Count - orderUnknown);
        }

        return into.ItemList.Count > 0 ? null : $"no line items in order '{into.OrderId}': an order needs at least one product";
    }

    /// <summary>Marks a known field of the object seen; the problem when it already was (a repeated key).</summary>
    private static string? Twice(ref int seen, int field, byte[][] names, string what)
    {
        if (field < 0)
        {
            return null;
        }

        if ((seen & (1 << field)) != 0)
        {
            return $"'{JsonlFields.Text(names[field])}' appears twice in the {what}: which one is meant is unclear";
        }

        seen |= 1 << field;
        return null;
    }

    private string? ReadItem(ref Utf8JsonReader reader, string where)
    {
        var seen = 0;
        string? name = null;
        decimal price = 0, quantity = 0;
        var start = _unknown.Count;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Match(ref reader, _itemFields);
            reader.Read();
            if (Twice(ref seen, field, _itemFields, "line item") is { } twice)
            {
                return where + twice;
            }

            var problem = field switch
            {
                0 => ReadText(ref reader, fields.ProductName, where, out name),
                1 => ReadNumber(ref reader, fields.UnitPrice, where, out price),
                2 => ReadNumber(ref reader, fields.Quantity, where, out quantity),
                _ => Unknown(ref reader, where),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        if (seen != 0b111 || name is null)
        {
            var unknown = _unknown.GetRange(start, _unknown.Count - start);
            return name is null
                ? fields.Missing(where, "product_name", fields.ProductName, unknown)
                : (seen & 0b010) == 0
                    ? fields.Missing(where, "unit_price", fields.UnitPrice, unknown)
                    : fields.Missing(where, "quantity", fields.Quantity, unknown);
        }

        var trimmed = OrderRules.Trim(name);
        if (OrderRules.CheckLine(trimmed, price, quantity) is { } lineProblem)
        {
            return where + lineProblem;
        }

        _item = new JsonlItem(trimmed, price, quantity);
        return null;
    }
}
