using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// Reads a <c>format: affinsy</c> message straight from its bytes into an <see cref="OrderDraft"/>: no intermediate
/// wire objects, no copy of the message as text. This runs once per message on the consumer thread, the busiest
/// code of the connector. It accepts the Affinsy API's order shape (<c>order_id, customer_id, order_date, currency,
/// line_items[product_name, unit_price, quantity]</c>): ids as strings or numbers, amounts as numbers or numeric
/// strings, unknown properties ignored; anything else is a <see cref="JsonException"/> naming the property. Public so
/// that the <c>kafka</c> benchmark's <c>--parse-only</c> times this reader alone; the format around it (the UTF-8
/// check, dead letters) stays internal.
/// </summary>
public static class AffinsyMessageReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// The draft (refused with a reason, see <see cref="OrderDraft.Problem"/>, when a line or the date cannot be
    /// read; the pipeline's normalization judges the rest), or null when the message is JSON <c>null</c>.
    /// </summary>
    /// <param name="utf8">The message value, valid UTF-8.</param>
    /// <param name="source">The draft's <see cref="OrderDraft.Source"/>.</param>
    /// <exception cref="JsonException">Not JSON, or the wrong shape.</exception>
    /// <remarks>
    /// Over 60 lines because it is the per-message loop of the Kafka consumer (the messages/s benchmark): one pass of a
    /// <see cref="Utf8JsonReader"/>, a ref struct that every helper must take by <c>ref</c>, dispatching on the property
    /// names in one chain so the top-level fields and the line array read in the order they arrive.
    /// </remarks>
    public static OrderDraft? Read(ReadOnlySpan<byte> utf8, string source)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("the message is empty");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, found {reader.TokenType}");
        }

        var draft = new OrderDraft(null) { Source = source };
        var sawLines = false;
        var lines = 0;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("order_id"u8))
            {
                Next(ref reader);
                draft.OrderId = Id(ref reader, "order_id");
            }
            else if (reader.ValueTextEquals("customer_id"u8))
            {
                Next(ref reader);
                draft.CustomerId = Id(ref reader, "customer_id");
            }
            else if (reader.ValueTextEquals("order_date"u8))
            {
                Next(ref reader);
                var text = Text(ref reader, "order_date");
                if (!MessageFields.TryParseDate(text, out var date, out var problem))
                {
                    draft.Refuse(problem!);
                }

                draft.OrderDate = date;
            }
            else if (reader.ValueTextEquals("currency"u8))
            {
                Next(ref reader);
                draft.Currency = Text(ref reader, "currency");
            }
            else if (reader.ValueTextEquals("line_items"u8))
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"line_items must be an array, found {reader.TokenType}");
                }

                sawLines = true;
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        draft.Refuse($"line_items[{lines}] is null");
                    }
                    else
                    {
                        ReadLine(ref reader, draft, lines);
                    }

                    lines++;
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new JsonException($"unexpected {reader.TokenType} after the order object");
        }

        if (!sawLines || lines == 0)
        {
            draft.Refuse($"no line_items in order '{draft.OrderId}': an order needs at least one product");
        }

        return draft;
    }

    private static void ReadLine(ref Utf8JsonReader reader, OrderDraft draft, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"line_items[{index}] must be an object, found {reader.TokenType}");
        }

        string? name = null;
        decimal price = 0, quantity = 0;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("product_name"u8))
            {
                Next(ref reader);
                name = Text(ref reader, "product_name");
            }
            else if (reader.ValueTextEquals("unit_price"u8))
            {
                Next(ref reader);
                price = Amount(ref reader, "unit_price");
            }
            else if (reader.ValueTextEquals("quantity"u8))
            {
                Next(ref reader);
                quantity = Amount(ref reader, "quantity");
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        draft.AddLine(name, price, quantity);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the message ends in the middle of the order");
        }

        return reader.TokenType;
    }

    private static string? Text(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"{property} must be a string, found {reader.TokenType}"),
    };

    private static string? Id(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"{property} must be a string or a number, found {reader.TokenType}"),
    };

    private static decimal Amount(ref Utf8JsonReader reader, string property)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDecimal(out var number):
                return number;
            case JsonTokenType.String when !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out decimal parsed, out var used) && used == reader.ValueSpan.Length:
                return parsed;
            case JsonTokenType.String when decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text):
                return text;
            default:
                throw new JsonException($"{property} must be a number, found {(reader.TokenType == JsonTokenType.String ? "\"" + reader.GetString() + "\"" : reader.TokenType.ToString())}");
        }
    }
}
