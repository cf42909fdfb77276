using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Parses a bulk export's JSON Lines straight from UTF-8 spans with <see cref="Utf8JsonReader"/>: an order line, then
/// its line items (each with <c>__parentId</c>). An order goes to the <see cref="BatchBuilder"/> when the next order
/// line (or the end) shows it is complete. No string per line: repeated texts come from a <see cref="TextPool"/>, the
/// line list is reused, and the order's raw JSON is kept as bytes, decoded only if the order is refused.
/// The per-line methods are compiled optimized from the first call: in a process that keeps JIT-compiling (servers
/// starting, first requests), tiered compilation leaves them unoptimized for seconds, which measured 2-3x slower.
/// </summary>
internal sealed class BulkResultParser
{
    private readonly BatchBuilder builder;
    private readonly string operationId;
    private readonly TextPool pool = new();
    private readonly List<ShopifyLineItem> lines = [];
    private readonly Func<string> position;
    private readonly Func<string> original;
    private byte[] orderJson = new byte[4096];
    private int orderJsonLength;
    private byte[] orderGid = new byte[64];
    private int orderGidLength;
    private bool hasOrder;
    private long flushedAt;
    private OrderFields order;

    public BulkResultParser(BatchBuilder builder, string operationId)
    {
        this.builder = builder;
        this.operationId = operationId;
        position = () => $"bulk operation {this.operationId}, order before line {flushedAt}";
        original = () => Encoding.UTF8.GetString(orderJson, 0, orderJsonLength);
    }

    /// <summary>Takes one non-empty line; true when it completed the previous order (now in the builder).</summary>
    /// <exception cref="ShopifyApiException">The line is not valid JSON, or a line item does not follow its order.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Line(ReadOnlySpan<byte> line, long lineNumber)
    {
        var fields = default(OrderFields);
        var item = default(ItemFields);
        ReadOnlySpan<byte> parent = default;
        ReadOnlySpan<byte> gid = default;
        try
        {
            var reader = new Utf8JsonReader(line);
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("__parentId"u8))
                {
                    reader.Read();
                    parent = reader.ValueSpan;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    gid = reader.ValueSpan;
                }
                else if (!ReadItemField(ref reader, ref item) && !ReadOrderField(ref reader, ref fields))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new ShopifyApiException($"Shopify bulk result line {lineNumber} is not valid JSON ({e.Message}). Run the sync again to start a new export.", e);
        }

        if (!parent.IsEmpty)
        {
            if (!hasOrder || !parent.SequenceEqual(orderGid.AsSpan(0, orderGidLength)))
            {
                throw new ShopifyApiException(
                    $"Shopify bulk result of operation {operationId}, line {lineNumber}: a line item of {Encoding.UTF8.GetString(parent)} does not follow its order. Run the sync again to start a new export.");
            }

            lines.Add(new ShopifyLineItem(item.Title, item.VariantTitle, item.Sku, item.Quantity, item.CurrentQuantity ?? item.Quantity,
                item.Discounted, item.Original));
            return false;
        }

        var completed = Flush(lineNumber);
        fields.Id = NumericId(gid);
        order = fields;
        Keep(ref orderGid, ref orderGidLength, gid);
        Keep(ref orderJson, ref orderJsonLength, line);
        hasOrder = true;
        return completed;
    }

    /// <summary>The end of the result: the last order is complete. True when there was one.</summary>
    public bool Finish(long lineNumber) => Flush(lineNumber);

    private bool Flush(long lineNumber)
    {
        if (!hasOrder)
        {
            return false;
        }

        flushedAt = lineNumber;
        var o = order;
        builder.Add(new ShopifyOrder(o.Id ?? string.Empty, o.Name, o.CreatedAt, o.ProcessedAt, o.UpdatedAt, o.CancelledAt, o.Test,
            o.Currency, o.CustomerId, o.Email, lines), position, original);
        lines.Clear();
        hasOrder = false;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadItemField(ref Utf8JsonReader reader, ref ItemFields item)
    {
        if (reader.ValueTextEquals("title"u8))
        {
            reader.Read();
            item.Title = Text(ref reader);
        }
        else if (reader.ValueTextEquals("variantTitle"u8))
        {
            reader.Read();
            item.VariantTitle = Text(ref reader);
        }
        else if (reader.ValueTextEquals("sku"u8))
        {
            reader.Read();
            item.Sku = Text(ref reader);
        }
        else if (reader.ValueTextEquals("quantity"u8))
        {
            reader.Read();
            item.Quantity = reader.GetInt32();
        }
        else if (reader.ValueTextEquals("currentQuantity"u8))
        {
            reader.Read();
            item.CurrentQuantity = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
        }
        else if (reader.ValueTextEquals("discountedUnitPriceSet"u8))
        {
            reader.Read();
            item.Discounted = ShopMoney(ref reader);
        }
        else if (reader.ValueTextEquals("originalUnitPriceSet"u8))
        {
            reader.Read();
            item.Original = ShopMoney(ref reader);
        }
        else
        {
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadOrderField(ref Utf8JsonReader reader, ref OrderFields fields)
    {
        if (reader.ValueTextEquals("name"u8))
        {
            reader.Read();
            fields.Name = reader.GetString();
        }
        else if (reader.ValueTextEquals("createdAt"u8))
        {
            reader.Read();
            fields.CreatedAt = Date(ref reader);
        }
        else if (reader.ValueTextEquals("processedAt"u8))
        {
            reader.Read();
            fields.ProcessedAt = Date(ref reader);
        }
        else if (reader.ValueTextEquals("updatedAt"u8))
        {
            reader.Read();
            fields.UpdatedAt = Date(ref reader);
        }
        else if (reader.ValueTextEquals("cancelledAt"u8))
        {
            reader.Read();
            fields.CancelledAt = Date(ref reader);
        }
        else if (reader.ValueTextEquals("test"u8))
        {
            reader.Read();
            fields.Test = reader.TokenType == JsonTokenType.True;
        }
        else if (reader.ValueTextEquals("currencyCode"u8))
        {
            reader.Read();
            fields.Currency = Text(ref reader);
        }
        else if (reader.ValueTextEquals("email"u8))
        {
            reader.Read();
            fields.Email = Text(ref reader);
        }
        else if (reader.ValueTextEquals("customer"u8))
        {
            reader.Read();
            fields.CustomerId = CustomerId(ref reader);
        }
        else
        {
            return false;
        }

        return true;
    }

    private string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when !reader.ValueIsEscaped => pool.Get(reader.ValueSpan),
        _ => reader.GetString(),
    };

    private static DateTimeOffset? Date(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    /// <summary><c>{ "shopMoney": { "amount": "12.50", "currencyCode": "EUR" } }</c> → 12.50.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal? ShopMoney(ref Utf8JsonReader reader)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? CustomerId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, read: false);
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                id = pool.Get(NumericTail(reader.ValueSpan));
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }

    private static string? NumericId(ReadOnlySpan<byte> gid) => gid.IsEmpty ? null : Encoding.UTF8.GetString(NumericTail(gid));

    /// <summary>The same rule as <see cref="ShopifyOrderMapper.NumericId"/>, on UTF-8: after the last '/', before any '?'.</summary>
    private static ReadOnlySpan<byte> NumericTail(ReadOnlySpan<byte> gid)
    {
        var tail = gid[(gid.LastIndexOf((byte)'/') + 1)..];
        var query = tail.IndexOf((byte)'?');
        return query < 0 ? tail : tail[..query];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool read = true)
    {
        if ((read && !reader.Read()) || reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    private static void Keep(ref byte[] store, ref int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > store.Length)
        {
            store = new byte[Math.Max(value.Length, store.Length * 2)];
        }

        value.CopyTo(store);
        length = value.Length;
    }

    private struct OrderFields
    {
        public string? Id;
        public string? Name;
        public DateTimeOffset? CreatedAt;
        public DateTimeOffset? ProcessedAt;
        public DateTimeOffset? UpdatedAt;
        public DateTimeOffset? CancelledAt;
        public bool Test;
        public string? Currency;
        public string? CustomerId;
        public string? Email;
    }

    private struct ItemFields
    {
        public string? Title;
        public string? VariantTitle;
        public string? Sku;
        public int Quantity;
        public int? CurrentQuantity;
        public decimal? Discounted;
        public decimal? Original;
    }
}
