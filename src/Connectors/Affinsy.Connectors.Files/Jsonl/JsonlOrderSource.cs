using System.Runtime.CompilerServices;
using System.Text.Json;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// Streams a JSON Lines file, one Affinsy-shaped order per line
/// (<c>{"order_id","customer_id","order_date","line_items":[{"product_name","unit_price","quantity"}]}</c>).
/// A line that is not valid JSON, or holds an order that cannot be sent, is refused whole with its
/// line number. A repeated order id is a newer version of that order and replaces it.
/// </summary>
internal sealed class JsonlOrderSource(JsonlSourceOptions options) : IOrderSource
{
    public const string Type = "jsonl";

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = await SourceFile.IdentifyAsync(options.Path, cancellationToken);
        var (offset, line) = await file.ResumePointAsync(FileCheckpoint.From(from), cancellationToken);
        if (!file.IsGzip && offset >= file.Size)
        {
            yield break;
        }

        await using var stream = await file.OpenAtAsync(offset, cancellationToken);
        using var reader = new RecordReader(stream, offset, line, delimiter: null);
        var assembler = new OrderAssembler(Type, options.BatchMaxOrders, options.BatchMaxLineItems, replaceRepeatedOrders: true);
        var end = (Offset: offset, Line: line);
        while (await reader.ReadAsync(cancellationToken))
        {
            end = (reader.RecordEnd, reader.NextLine);
            JsonlOrder? order;
            string? problem = null;
            try
            {
                order = JsonSerializer.Deserialize(reader.Raw, JsonlJsonContext.Default.JsonlOrder);
            }
            catch (JsonException e)
            {
                order = null;
                problem = $"not a valid JSON order: {e.Message}; each line must be one JSON object";
            }

            var orderId = order?.OrderId?.Trim();
            if (assembler.ShouldCutBefore(orderId))
            {
                yield return assembler.TakeBatch(file.CheckpointAt(reader.RecordStart, reader.Line).ToCheckpoint());
            }

            DateTimeOffset? date = null;
            problem ??= Check(order, orderId, out date);
            if (problem is not null)
            {
                assembler.Refuse(problem, reader.Line, reader, orderId);
                continue;
            }

            foreach (var item in order!.LineItems!)
            {
                assembler.AddLine(orderId!, reader.Line, reader, order.CustomerId, date, order.Currency, item!.ProductName!, item.UnitPrice, item.Quantity);
            }
        }

        if (!assembler.IsEmpty)
        {
            yield return assembler.TakeBatch(file.CheckpointAt(end.Offset, end.Line).ToCheckpoint());
        }
    }

    private static string? Check(JsonlOrder? order, string? orderId, out DateTimeOffset? date)
    {
        date = null;
        if (order is null)
        {
            return "expected a JSON object with order_id and line_items, found null";
        }

        if (OrderRules.CheckOrderId(orderId) is { } idProblem)
        {
            return idProblem;
        }

        if (!string.IsNullOrWhiteSpace(order.OrderDate))
        {
            if (!FieldParsing.TryParseDate(order.OrderDate, null, out var parsed))
            {
                return OrderNormalizer.UnparsableDate(order.OrderDate, FieldParsing.DescribeFormat(null));
            }

            date = parsed;
        }

        if (order.LineItems is not { Count: > 0 })
        {
            return $"no line items in order '{orderId}': an order needs at least one product";
        }

        for (var i = 0; i < order.LineItems.Count; i++)
        {
            if (order.LineItems[i] is not { } item)
            {
                return $"line_items[{i}] is null";
            }

            if (OrderRules.CheckLine(OrderRules.Trim(item.ProductName), item.UnitPrice, item.Quantity) is { } lineProblem)
            {
                return $"line_items[{i}]: {lineProblem}";
            }
        }

        return null;
    }
}
