using System.Text.Json;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources.Text;

namespace Affinsy.Core.Sources.Jsonl;

/// <summary>Reading one value of a known type, each failure a reason naming the field.</summary>
public sealed partial class JsonlOrderParser
{
    // Index of the property the reader is on in `known`, or -1 (its name then joins the unknown ones).
    private int Match(ref Utf8JsonReader reader, byte[][] known)
    {
        for (var i = 0; i < known.Length; i++)
        {
            if (reader.ValueTextEquals(known[i]))
            {
                return i;
            }
        }

        _unknown.Add(reader.GetString() ?? string.Empty);
        return -1;
    }

    private string? Unknown(ref Utf8JsonReader reader, string where)
    {
        var name = _unknown[^1];
        reader.Skip();
        return strict
            ? $"{where}unknown field '{name}' (strict: true): remove it from the export, map it under source.fields, or turn strict off"
            : null;
    }

    private static string? ReadId(ref Utf8JsonReader reader, byte[] field, out string? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return null;
            case JsonTokenType.Number:
                value = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                return null;
            case JsonTokenType.Null:
                return null;
            default:
                return $"'{JsonlFields.Text(field)}' must be a string or a number, found {Describe(reader.TokenType)}";
        }
    }

    private string? ReadText(ref Utf8JsonReader reader, byte[] field, string where, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return $"{where}'{JsonlFields.Text(field)}' must be a string, found {Describe(reader.TokenType)}";
        }

        // Names repeat across lines: an unescaped one is looked up without allocating.
        value = reader.ValueIsEscaped ? reader.GetString() : names.Get(reader.ValueSpan);
        return null;
    }

    private static string? ReadNumber(ref Utf8JsonReader reader, byte[] field, string where, out decimal value)
    {
        value = 0;
        var ok = reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetDecimal(out value) || FieldParsing.TryParseDecimal(reader.ValueSpan, out value),
            JsonTokenType.String when !reader.ValueIsEscaped => FieldParsing.TryParseDecimal(reader.ValueSpan, out value),
            _ => false,
        };
        if (ok)
        {
            return null;
        }

        var shown = reader.TokenType switch
        {
            JsonTokenType.Number => $"'{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}'",
            JsonTokenType.String => $"'{reader.GetString()}'",
            _ => Describe(reader.TokenType),
        };
        return $"{where}'{JsonlFields.Text(field)}' is {shown}, not a number within ±7.9e28 (use '.' for decimals, no currency sign)";
    }

    private string? ReadDate(ref Utf8JsonReader reader, JsonlRecord into)
    {
        if (ReadText(ref reader, fields.OrderDate, "", out var text) is { } problem)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!FieldParsing.TryParseDate(text, null, out var date))
        {
            return OrderRules.UnparsableDate(text, FieldParsing.DescribeFormat(null));
        }

        into.OrderDate = date;
        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };
}
