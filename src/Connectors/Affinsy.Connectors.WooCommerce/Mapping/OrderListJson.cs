using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// Reads a <c>GET /orders</c> answer one order at a time, so one order a plugin or an import broke (a quantity
/// written as text, a number where a string belongs, <c>null</c>) is dead-lettered with the parser's reason while
/// the rest of the page is read. A body that is not a JSON array is a broken answer and still fails the page.
/// </summary>
internal static class OrderListJson
{
    /// <exception cref="JsonException">The body is not a well-formed JSON array.</exception>
    public static List<WooOrder> Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a JSON array of orders");
        }

        var orders = new List<WooOrder>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = checked((int)reader.TokenStartIndex);
            reader.Skip();
            orders.Add(ParseOne(body[start..checked((int)reader.BytesConsumed)]));
        }

        return orders;
    }

    private static WooOrder ParseOne(ReadOnlySpan<byte> record)
    {
        string problem;
        try
        {
            if (JsonSerializer.Deserialize(record, WooJsonContext.Default.WooOrder) is { } order)
            {
                return order;
            }

            problem = "the record is null";
        }
        catch (JsonException e)
        {
            problem = e.Message;
        }

        return Unreadable(record, problem);
    }

    // What can still be read (id, modified date) keeps the record's position and the paging key.
    private static WooOrder Unreadable(ReadOnlySpan<byte> record, string problem)
    {
        long id = 0;
        string? modified = null;
        var reader = new Utf8JsonReader(record);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "id" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n))
                {
                    id = n;
                }
                else if (name == "date_modified_gmt" && reader.TokenType == JsonTokenType.String)
                {
                    modified = reader.GetString();
                }

                reader.Skip();
            }
        }

        return new WooOrder
        {
            Id = id,
            DateModifiedGmt = modified,
            ReadProblem = string.Create(CultureInfo.InvariantCulture, $"the order JSON cannot be read ({problem}); fix the order in WooCommerce or the plugin that writes it"),
            RawJson = Encoding.UTF8.GetString(record),
        };
    }
}
