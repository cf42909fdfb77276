using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Parses the lines of one order from a bulk result (its order line and its line items, however the file ordered them)
/// straight from UTF-8 with <see cref="Utf8JsonReader"/> and hands the order to the <see cref="BatchBuilder"/>. No string
/// per line: repeated texts come from a <see cref="TextPool"/>, the line list is reused, and the raw JSON is decoded only
/// if the order is refused. A field that cannot be read (a malformed amount) refuses the order with the reason; it never
/// stops the sync (the lines were already checked to be JSON by <see cref="OrderSpill"/>).
/// The per-line methods are compiled optimized from the first call: in a process that keeps JIT-compiling (servers
/// starting, first requests), tiered compilation leaves them unoptimized for seconds, which measured 2-3x slower.
/// </summary>
public sealed class BulkResultParser
{
    private readonly BatchBuilder builder;
    private readonly string operationId;
    private readonly TextPool pool = new();
    private readonly List<ShopifyLineItem> lines = [];
    private readonly List<ReadOnlyMemory<byte>> raw = [];
    private readonly Func<string> position;
    private readonly Func<string> original;
    private long orderLine;
    private string? orderProblem;
    private OrderFields order;

    /// <summary>A parser handing its orders to <paramref name="builder"/>; <paramref name="operationId"/> names the bulk operation in positions.</summary>
    public BulkResultParser(BatchBuilder builder, string operationId)
    {
        this.builder = builder;
        this.operationId = operationId;
        position = () => $"bulk operation {this.operationId}, result line {orderLine}";
        original = () => string.Join('\n', raw.Select(r => Encoding.UTF8.GetString(r.Span)));
    }

    /// <summary>Starts an order with its own line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Order(ReadOnlyMemory<byte> line, long lineNumber)
    {
        lines.Clear();
        raw.Clear();
        raw.Add(line);
        orderLine = lineNumber;
        orderProblem = null;
        var fields = default(OrderFields);
        try
        {
            var reader = new Utf8JsonReader(line.Span);
            BulkJsonFields.Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    fields.Id = ShopifyOrderMapper.NumericId(reader.GetString() ?? string.Empty);
                }
                else if (!ReadOrderField(ref reader, ref fields))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            orderProblem = $"result line {lineNumber} could not be read ({e.Message})";
        }

        order = fields;
    }

    /// <summary>Adds one line item of the current order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Child(ReadOnlyMemory<byte> line, long lineNumber)
    {
        raw.Add(line);
        var item = default(ItemFields);
        string? problem = null;
        try
        {
            var reader = new Utf8JsonReader(line.Span);
            BulkJsonFields.Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!ReadItemField(ref reader, ref item))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            problem = $"result line {lineNumber} could not be read ({e.Message})";
        }

        lines.Add(new ShopifyLineItem(item.Title, item.VariantTitle, item.Sku, item.Quantity, item.CurrentQuantity ?? item.Quantity,
            item.Discounted, item.Original, item.Allocated, problem));
    }

    /// <summary>The current order has all its lines: map it into the builder.</summary>
    public void Complete()
    {
        var o = order;
        builder.Add(new ShopifyOrder(o.Id ?? string.Empty, o.Name, o.CreatedAt, o.ProcessedAt, o.UpdatedAt, o.CancelledAt, o.Test,
            o.Currency, o.CustomerId, o.Email, lines), position, original, orderProblem);
        lines.Clear();
        raw.Clear();
    }

    /// <summary>A line item whose order is not in the result: refused with its reason, nothing else is affected.</summary>
    internal void Orphan(ReadOnlyMemory<byte> line, long lineNumber) =>
        builder.Refuse(
            $"bulk operation {operationId}, result line {lineNumber}: a line item or order line whose order is missing from the result or appears twice; it is not sent",
            $"bulk operation {operationId}, result line {lineNumber}", Encoding.UTF8.GetString(line.Span));

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
            item.Discounted = BulkJsonFields.ShopMoney(ref reader);
        }
        else if (reader.ValueTextEquals("originalUnitPriceSet"u8))
        {
            reader.Read();
            item.Original = BulkJsonFields.ShopMoney(ref reader);
        }
        else if (reader.ValueTextEquals("discountAllocations"u8))
        {
            reader.Read();
            item.Allocated = BulkJsonFields.Allocations(ref reader);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? CustomerId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        BulkJsonFields.Expect(ref reader, JsonTokenType.StartObject, read: false);
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                // Slashes may arrive escaped ("gid:\/\/shopify\/Customer\/5"): unescape before taking the tail.
                id = reader.ValueIsEscaped ? ShopifyOrderMapper.NumericId(reader.GetString()!) : pool.Get(NumericTail(reader.ValueSpan));
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }

    /// <summary>The same rule as <see cref="ShopifyOrderMapper.NumericId"/>, on UTF-8: after the last '/', before any '?'.</summary>
    private static ReadOnlySpan<byte> NumericTail(ReadOnlySpan<byte> gid)
    {
        var tail = gid[(gid.LastIndexOf((byte)'/') + 1)..];
        var query = tail.IndexOf((byte)'?');
        return query < 0 ? tail : tail[..query];
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
        public decimal? Allocated;
    }
}
