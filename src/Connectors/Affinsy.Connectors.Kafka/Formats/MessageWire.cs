using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary><c>format: affinsy</c>: one order per message, shaped like the Affinsy API's.</summary>
internal sealed record OrderMessage(
    [property: JsonConverter(typeof(IdConverter))] string? OrderId,
    [property: JsonConverter(typeof(IdConverter))] string? CustomerId,
    string? OrderDate,
    string? Currency,
    IReadOnlyList<LineItemWire?>? LineItems);

/// <summary>One line item of <see cref="OrderMessage"/>.</summary>
internal sealed record LineItemWire(string? ProductName, decimal UnitPrice, decimal Quantity);

/// <summary><c>format: line_item</c>: one line item per message, or the end marker <c>{"order_id": ..., "end": true}</c>.</summary>
internal sealed record LineItemMessage(
    [property: JsonConverter(typeof(IdConverter))] string? OrderId,
    [property: JsonConverter(typeof(IdConverter))] string? CustomerId,
    string? OrderDate,
    string? Currency,
    string? ProductName,
    decimal? UnitPrice,
    decimal? Quantity,
    bool End);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OrderMessage))]
[JsonSerializable(typeof(LineItemMessage))]
internal sealed partial class MessageJsonContext : JsonSerializerContext;

/// <summary>Reads an id written as a JSON string or a bare number.</summary>
internal sealed class IdConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a string or a number, found {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>Field checks shared by the formats.</summary>
internal static class MessageFields
{
    public static bool TryParseDate(string? text, out DateTimeOffset? date, out string? problem)
    {
        date = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = parsed;
            return true;
        }

        problem = $"order_date '{text}' is not a date; use ISO 8601 such as 2024-03-01T12:00:00Z";
        return false;
    }

    public static string NotJson(JsonException e, string expected) => Core.Sources.Messages.DecodedMessage.NotJsonReason(e, expected);

    /// <summary>
    /// Hands a finished draft to the pipeline, which normalizes it. A line the draft already refused (a bad price or
    /// quantity) makes the message a problem here, so it goes to the dead-letter topic when one is set; a draft the
    /// pipeline's whole-order rules will refuse keeps its message as its origin for the dead letter.
    /// </summary>
    public static void Deliver(OrderDraft draft, KafkaRecord record, IFormatOutput output)
    {
        if (draft.Problem is { } problem)
        {
            output.Problem(problem, record, draft.OrderId);
            return;
        }

        if (draft.WillBeRefused)
        {
            draft.Origin = record;
        }

        output.Draft(draft);
    }

}
