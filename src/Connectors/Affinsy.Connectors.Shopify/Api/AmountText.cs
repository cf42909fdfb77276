using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// Reads a money amount as its text, whether Shopify sent a string (<c>"199.0"</c>, as documented for MoneyV2 and REST
/// prices) or a number, so one malformed amount refuses its order (dead letter) instead of failing the whole page.
/// </summary>
internal sealed class AmountTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException($"expected an amount, found {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Parses amount text; a problem is recorded, not thrown.</summary>
internal static class AmountText
{
    public static decimal? Parse(string? text, string field, ref string? problem)
    {
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problem ??= $"{field} '{(text.Length > 40 ? text[..40] : text)}' is not a decimal amount";
        return null;
    }
}
