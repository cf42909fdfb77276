using System.Runtime.CompilerServices;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Jsonl;
using Affinsy.Core.Sources.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>
/// Streams a JSON Lines file, one Affinsy-shaped order per line
/// (<c>{"order_id","customer_id","order_date","currency","line_items":[{"product_name","unit_price","quantity"}]}</c>,
/// names mappable with <c>fields:</c>). A line that is not valid JSON, or holds an order that cannot be sent,
/// is refused whole with its position. A repeated order id is a newer version of that order and replaces it.
/// </summary>
internal sealed class JsonlOrderSource(JsonlSourceOptions options, ILogger? logger = null) : IOrderSource
{
    public const string Type = "jsonl";

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = await SourceFile.IdentifyAsync(options.Path, options.Encoding, cancellationToken);
        var (offset, line) = await file.ResumePointAsync(from?.As(FileCheckpoint.Json), cancellationToken);
        if (!file.DecodesFromStart && offset >= file.Size)
        {
            yield break;
        }

        await using var stream = await file.OpenAtAsync(offset, cancellationToken);
        using var reader = new RecordReader(stream, offset, line, delimiter: null, options.Limits, file.Name);
        var assembler = new OrderAssembler(Type, options.BatchMaxOrders, options.BatchMaxLineItems, replaceRepeatedOrders: true, file: file.Name, writtenAt: File.GetLastWriteTimeUtc(file.Path));
        await foreach (var batch in ReadLinesAsync(reader, assembler, file, (offset, line), cancellationToken))
        {
            yield return batch;
        }

        FileSourceLog.Tail(logger ?? NullLogger.Instance, file, reader.UnterminatedTail);
    }

    /// <summary>
    /// The lines from the reader's position, one order each, grouped into batches by <paramref name="assembler"/>: a
    /// file being synced (with its checkpoints), or a dead letter's line being replayed (<paramref name="file"/> null).
    /// </summary>
    internal async IAsyncEnumerable<OrderBatch> ReadLinesAsync(
        RecordReader reader, OrderAssembler assembler, SourceFile? file, (long Offset, long Line) start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = new JsonlOrderParser(options.Fields, options.Strict, new NameTable());
        var order = new JsonlRecord();
        var end = start;
        while (await reader.ReadAsync(cancellationToken))
        {
            end = (reader.RecordEnd, reader.NextLine);
            var problem = reader.IsOversized ? FileRefusals.Oversized(reader)
                : reader.InvalidUtf8Offset() is { } invalid ? FileRefusals.InvalidUtf8(invalid, reader.RecordStart)
                : parser.Parse(reader.Raw, order);
            var orderId = problem is null ? order.OrderId : null;
            if (assembler.ShouldCutBefore(orderId))
            {
                yield return assembler.TakeBatch(file?.CheckpointAt(reader.RecordStart, reader.Line).ToCheckpoint()) with { Progress = file?.ProgressAt(reader.RecordStart) };
            }

            if (problem is not null)
            {
                assembler.Refuse(problem, reader.Line, reader, order.OrderId);
                continue;
            }

            foreach (var item in order.Items)
            {
                assembler.AddLine(orderId!, reader.Line, reader, order.CustomerId, order.OrderDate, order.Currency, item.ProductName, item.UnitPrice, item.Quantity);
            }
        }

        if (!assembler.IsEmpty)
        {
            yield return assembler.TakeBatch(file?.CheckpointAt(end.Offset, end.Line).ToCheckpoint()) with { Progress = file?.ProgressAt(end.Offset) };
        }
    }
}
