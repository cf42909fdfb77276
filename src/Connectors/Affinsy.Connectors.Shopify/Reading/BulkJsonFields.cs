using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>Readers for the nested money shapes of a bulk line (MoneyBag, discount allocations), on a <see cref="Utf8JsonReader"/>.</summary>
internal static class BulkJsonFields
{
    /// <summary><c>{ "shopMoney": { "amount": "12.50", "currencyCode": "EUR" } }</c> → 12.50.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static decimal? ShopMoney(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, read: false);
        decimal? amount = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("shopMoney"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            Expect(ref reader, JsonTokenType.StartObject, read: false);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAmount = reader.ValueTextEquals("amount"u8);
                reader.Read();
                if (isAmount && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    amount = Utf8Parser.TryParse(reader.ValueSpan, out decimal value, out var used) && used == reader.ValueSpan.Length
                        ? value
                        : throw new FormatException($"amount '{Encoding.UTF8.GetString(reader.ValueSpan)}' is not a decimal number");
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return amount;
    }

    /// <summary><c>[{ "allocatedAmountSet": { "shopMoney": { "amount": "17.91" } } }]</c> → their sum (null: not sent).</summary>
    public static decimal? Allocations(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, read: false);
        var sum = 0m;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAmount = reader.ValueTextEquals("allocatedAmountSet"u8);
                reader.Read();
                if (isAmount)
                {
                    sum += ShopMoney(ref reader) ?? 0;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return sum;
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }
}
