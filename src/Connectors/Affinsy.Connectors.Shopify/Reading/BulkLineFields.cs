using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Pass 1's reading of the fields the mapping needs from a bulk result line, written as <see cref="SpillField"/>s while
/// <see cref="BulkLineKeys"/> tokenizes the line for its keys: each line is parsed once. Order fields and line item
/// fields have distinct names, so both are read before <c>__parentId</c> (Shopify writes it last) says which the line
/// is; pass 2 takes the ones of its kind. A field that cannot be read throws (<see cref="FormatException"/>,
/// <see cref="InvalidOperationException"/>, <see cref="JsonException"/>) and refuses the order, never the result.
/// The methods are compiled optimized from the first call (see <see cref="OrderSpill"/>).
/// </summary>
internal static class BulkLineFields
{
    /// <summary>Reads the value of the property the reader is on, if the mapping needs it; false: not one of ours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ref Utf8JsonReader reader, SpillFieldWriter fields)
    {
        var field = Field(ref reader);
        if (field == default)
        {
            return false;
        }

        reader.Read();
        switch (field)
        {
            case SpillField.CreatedAt or SpillField.ProcessedAt or SpillField.UpdatedAt or SpillField.CancelledAt:
                fields.Date(field, reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset());
                break;
            case SpillField.Test:
                fields.Flag(field, reader.TokenType == JsonTokenType.True);
                break;
            case SpillField.Quantity:
                fields.Count(field, reader.GetInt32());
                break;
            case SpillField.CurrentQuantity:
                fields.Count(field, reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32());
                break;
            case SpillField.Discounted or SpillField.Original:
                fields.Amount(field, BulkJsonFields.ShopMoney(ref reader));
                break;
            case SpillField.Allocated:
                fields.Amount(field, BulkJsonFields.Allocations(ref reader));
                break;
            case SpillField.Customer:
                Customer(ref reader, fields);
                break;
            default:
                Text(ref reader, field, fields);
                break;
        }

        return true;
    }

    /// <summary>A string or null, unescaped; any other token is an <see cref="InvalidOperationException"/> as <see cref="Utf8JsonReader.GetString"/> throws.</summary>
    public static void Text(ref Utf8JsonReader reader, SpillField field, SpillFieldWriter fields, bool numericTail = false)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            fields.Text(field, default, isNull: true);
            return;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            _ = reader.GetString(); // throws the reader's own message
        }

        if (!reader.ValueIsEscaped)
        {
            fields.Text(field, numericTail ? NumericTail(reader.ValueSpan) : reader.ValueSpan);
            return;
        }

        // Slashes may arrive escaped ("gid:\/\/shopify\/Customer\/5"): unescape before taking the tail.
        Span<byte> unescaped = reader.ValueSpan.Length <= 256 ? stackalloc byte[256] : new byte[reader.ValueSpan.Length];
        var text = unescaped[..reader.CopyString(unescaped)];
        fields.Text(field, numericTail ? NumericTail(text) : text);
    }

    /// <summary>
    /// Which field a property name is. Every top-level name of every line comes here: an unescaped name (Shopify writes
    /// no escapes in names) is told by its length first, at most two comparisons; an escaped one takes the full list.
    /// </summary>
    private static SpillField Field(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return EscapedField(ref reader);
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            3 => name.SequenceEqual("sku"u8) ? SpillField.Sku : default,
            4 => name.SequenceEqual("name"u8) ? SpillField.Name : name.SequenceEqual("test"u8) ? SpillField.Test : default,
            5 => name.SequenceEqual("title"u8) ? SpillField.Title : name.SequenceEqual("email"u8) ? SpillField.Email : default,
            8 => name.SequenceEqual("quantity"u8) ? SpillField.Quantity : name.SequenceEqual("customer"u8) ? SpillField.Customer : default,
            9 => name.SequenceEqual("createdAt"u8) ? SpillField.CreatedAt : name.SequenceEqual("updatedAt"u8) ? SpillField.UpdatedAt : default,
            11 => name.SequenceEqual("processedAt"u8) ? SpillField.ProcessedAt : name.SequenceEqual("cancelledAt"u8) ? SpillField.CancelledAt : default,
            12 => name.SequenceEqual("variantTitle"u8) ? SpillField.VariantTitle : name.SequenceEqual("currencyCode"u8) ? SpillField.Currency : default,
            15 => name.SequenceEqual("currentQuantity"u8) ? SpillField.CurrentQuantity : default,
            19 => name.SequenceEqual("discountAllocations"u8) ? SpillField.Allocated : default,
            20 => name.SequenceEqual("originalUnitPriceSet"u8) ? SpillField.Original : default,
            22 => name.SequenceEqual("discountedUnitPriceSet"u8) ? SpillField.Discounted : default,
            _ => default,
        };
    }

    private static SpillField EscapedField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("title"u8) ? SpillField.Title
        : reader.ValueTextEquals("variantTitle"u8) ? SpillField.VariantTitle
        : reader.ValueTextEquals("sku"u8) ? SpillField.Sku
        : reader.ValueTextEquals("quantity"u8) ? SpillField.Quantity
        : reader.ValueTextEquals("currentQuantity"u8) ? SpillField.CurrentQuantity
        : reader.ValueTextEquals("discountedUnitPriceSet"u8) ? SpillField.Discounted
        : reader.ValueTextEquals("originalUnitPriceSet"u8) ? SpillField.Original
        : reader.ValueTextEquals("discountAllocations"u8) ? SpillField.Allocated
        : reader.ValueTextEquals("name"u8) ? SpillField.Name
        : reader.ValueTextEquals("createdAt"u8) ? SpillField.CreatedAt
        : reader.ValueTextEquals("processedAt"u8) ? SpillField.ProcessedAt
        : reader.ValueTextEquals("updatedAt"u8) ? SpillField.UpdatedAt
        : reader.ValueTextEquals("cancelledAt"u8) ? SpillField.CancelledAt
        : reader.ValueTextEquals("test"u8) ? SpillField.Test
        : reader.ValueTextEquals("currencyCode"u8) ? SpillField.Currency
        : reader.ValueTextEquals("email"u8) ? SpillField.Email
        : reader.ValueTextEquals("customer"u8) ? SpillField.Customer
        : default;

    /// <summary><c>"customer": {"id": "gid://shopify/Customer/5"}</c> → "5"; null when the order has no customer.</summary>
    private static void Customer(ref Utf8JsonReader reader, SpillFieldWriter fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            fields.Text(SpillField.Customer, default, isNull: true);
            return;
        }

        BulkJsonFields.Expect(ref reader, JsonTokenType.StartObject, read: false);
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                Text(ref reader, SpillField.Customer, fields, numericTail: true);
                found = true;
            }
            else
            {
                reader.Skip();
            }
        }

        if (!found)
        {
            fields.Text(SpillField.Customer, default, isNull: true);
        }
    }

    /// <summary>The same rule as <see cref="Mapping.ShopifyOrderMapper.NumericId"/>, on UTF-8: after the last '/', before any '?'.</summary>
    private static ReadOnlySpan<byte> NumericTail(ReadOnlySpan<byte> gid)
    {
        var tail = gid[(gid.LastIndexOf((byte)'/') + 1)..];
        var query = tail.IndexOf((byte)'?');
        return query < 0 ? tail : tail[..query];
    }
}
