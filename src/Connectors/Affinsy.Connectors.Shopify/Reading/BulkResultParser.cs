using System.Runtime.CompilerServices;
using System.Text;
using Affinsy.Connectors.Shopify.Mapping;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Rebuilds one order from a bulk result (its order line and its line items, however the file ordered them) from the
/// fields pass 1 already read (<see cref="SpillFields"/>: no JSON is parsed here) and hands it to the
/// <see cref="BatchBuilder"/>. No string per line: repeated texts come from a <see cref="TextPool"/>, the line list is
/// reused, and the raw JSON is decoded only if the order is refused. A field that could not be read (a malformed amount)
/// refuses the order with the reason; it never stops the sync (the lines were already checked to be JSON in pass 1).
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

    /// <summary>Starts an order with its own line and the fields pass 1 read from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Order(ReadOnlyMemory<byte> line, ReadOnlySpan<byte> read, long lineNumber)
    {
        lines.Clear();
        raw.Clear();
        raw.Add(line);
        orderLine = lineNumber;
        orderProblem = null;
        var fields = default(OrderFields);
        var reader = new SpillFieldReader(read);
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case SpillField.Id:
                    fields.Id = reader.Text(out var id) ? Encoding.UTF8.GetString(id) : null;
                    break;
                case SpillField.Name:
                    fields.Name = reader.Text(out var name) ? Encoding.UTF8.GetString(name) : null;
                    break;
                case SpillField.CreatedAt:
                    fields.CreatedAt = reader.Date();
                    break;
                case SpillField.ProcessedAt:
                    fields.ProcessedAt = reader.Date();
                    break;
                case SpillField.UpdatedAt:
                    fields.UpdatedAt = reader.Date();
                    break;
                case SpillField.CancelledAt:
                    fields.CancelledAt = reader.Date();
                    break;
                case SpillField.Test:
                    fields.Test = reader.Flag();
                    break;
                case SpillField.Currency:
                    fields.Currency = Text(ref reader);
                    break;
                case SpillField.Email:
                    fields.Email = Text(ref reader);
                    break;
                case SpillField.Customer:
                    fields.CustomerId = Text(ref reader);
                    break;
                case SpillField.Problem:
                    orderProblem = reader.Text(out var problem) ? Encoding.UTF8.GetString(problem) : null;
                    break;
                default:
                    Skip(ref reader, field);
                    break;
            }
        }

        order = fields;
    }

    /// <summary>Adds one line item of the current order, with the fields pass 1 read from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Child(ReadOnlyMemory<byte> line, ReadOnlySpan<byte> read, long lineNumber)
    {
        raw.Add(line);
        var item = default(ItemFields);
        string? problem = null;
        var reader = new SpillFieldReader(read);
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case SpillField.Title:
                    item.Title = Text(ref reader);
                    break;
                case SpillField.VariantTitle:
                    item.VariantTitle = Text(ref reader);
                    break;
                case SpillField.Sku:
                    item.Sku = Text(ref reader);
                    break;
                case SpillField.Quantity:
                    item.Quantity = reader.Count() ?? 0;
                    break;
                case SpillField.CurrentQuantity:
                    item.CurrentQuantity = reader.Count();
                    break;
                case SpillField.Discounted:
                    item.Discounted = reader.Amount();
                    break;
                case SpillField.Original:
                    item.Original = reader.Amount();
                    break;
                case SpillField.Allocated:
                    item.Allocated = reader.Amount();
                    break;
                case SpillField.Problem:
                    problem = reader.Text(out var text) ? Encoding.UTF8.GetString(text) : null;
                    break;
                default:
                    Skip(ref reader, field);
                    break;
            }
        }

        lines.Add(new ShopifyLineItem(item.Title, item.VariantTitle, item.Sku, item.Quantity, item.CurrentQuantity ?? item.Quantity,
            item.Discounted, item.Original, item.Allocated, problem));
    }

    /// <summary>The current order has all its lines: map it into the builder.</summary>
    internal void Complete()
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

    /// <summary>Steps over a field of the other kind of line (an order's on a line item, or the reverse).</summary>
    private static void Skip(ref SpillFieldReader reader, SpillField field)
    {
        switch (field)
        {
            case SpillField.CreatedAt or SpillField.ProcessedAt or SpillField.UpdatedAt or SpillField.CancelledAt:
                reader.Date();
                break;
            case SpillField.Test:
                reader.Flag();
                break;
            case SpillField.Quantity or SpillField.CurrentQuantity:
                reader.Count();
                break;
            case SpillField.Discounted or SpillField.Original or SpillField.Allocated:
                reader.Amount();
                break;
            default:
                reader.Text(out _);
                break;
        }
    }

    private string? Text(ref SpillFieldReader reader) => reader.Text(out var utf8) ? pool.Get(utf8) : null;

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
