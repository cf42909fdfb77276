using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// Streams a CSV export (one row per line item, a header row naming the columns) into batches of
/// orders. Never loads the file: memory is one batch plus a bounded table of recent order ids.
/// Rows that cannot be sent are refused one by one with their line and text; the rest of the order
/// is still sent (a fixed row can be replayed later: Affinsy upserts per product).
/// <para>
/// An order's contiguous rows are one part. When its id comes back after other orders' rows (a late part),
/// the batch is cut before it, so each part is sent alone and upserted per (order_id, product_name) in file
/// order: the stored result is the same wherever batches and checkpoints fall.
/// </para>
/// </summary>
internal sealed class CsvOrderSource(CsvSourceOptions options, ILogger? logger = null) : IOrderSource
{
    public const string Type = "csv";

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = await SourceFile.IdentifyAsync(options.Path, options.Encoding, cancellationToken);
        var (offset, line) = await file.ResumePointAsync(from?.As(FileCheckpoint.Json), cancellationToken);
        if (!file.DecodesFromStart && offset >= file.Size)
        {
            yield break;
        }

        var map = await ReadHeaderAsync(file, options, cancellationToken);
        await using var stream = await file.OpenAtAsync(offset, cancellationToken);
        using var reader = new RecordReader(stream, offset, line, options.Delimiter, options.Limits, file.Name);
        if (offset == 0 && await reader.ReadAsync(cancellationToken))
        {
            // The header row; the map was read from it already.
            offset = reader.RecordEnd;
        }

        var assembler = new OrderAssembler(Type, options.BatchMaxOrders, options.BatchMaxLineItems, file: file.Name, writtenAt: File.GetLastWriteTimeUtc(file.Path), header: map.HeaderLine);
        await foreach (var batch in ReadRowsAsync(reader, map, assembler, file, offset, cancellationToken))
        {
            yield return batch;
        }

        FileSourceLog.Tail(logger ?? NullLogger.Instance, file, reader.UnterminatedTail);
    }

    /// <summary>
    /// The rows after the header, grouped into batches by <paramref name="assembler"/>: a file being synced (with its
    /// checkpoints), or a dead letter's rows being replayed (<paramref name="file"/> null: no checkpoints).
    /// </summary>
    // Over 60 lines: an iterator yields only from its own body, so the batch cuts stay in this loop.
    internal async IAsyncEnumerable<OrderBatch> ReadRowsAsync(
        RecordReader reader, ColumnMap map, OrderAssembler assembler, SourceFile? file, long offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new NameTable();
        var lastId = new ArrayBufferWriterLite();
        string? lastIdText = null;
        var end = (Offset: offset, Line: reader.NextLine);
        while (await reader.ReadAsync(cancellationToken))
        {
            end = (reader.RecordEnd, reader.NextLine);
            string? orderId = null;
            var problem = Check(reader, map);
            if (problem is null)
            {
                var idBytes = FieldParsing.TrimBlank(reader[map.OrderId]);
                if (!idBytes.IsEmpty)
                {
                    if (lastIdText is null || !idBytes.SequenceEqual(lastId.Span))
                    {
                        lastId.Set(idBytes);
                        lastIdText = Encoding.UTF8.GetString(idBytes);
                    }

                    orderId = lastIdText;
                }
            }

            var latePart = orderId is not null && !string.Equals(orderId, assembler.CurrentOrderId, StringComparison.Ordinal) && assembler.Holds(orderId);
            if (latePart || assembler.ShouldCutBefore(orderId))
            {
                yield return assembler.TakeBatch(file?.CheckpointAt(reader.RecordStart, reader.Line).ToCheckpoint()) with { Progress = file?.ProgressAt(reader.RecordStart) };
            }

            if ((problem ?? OrderRules.CheckOrderId(orderId)) is { } reason)
            {
                assembler.Refuse(reason, reader.Line, reader, orderId);
                continue;
            }

            if (options.RetailRules && orderId!.StartsWith('C'))
            {
                // A cancellation invoice is an expected business event, not a record a person must fix.
                assembler.Skip(orderId, SkipReason.Cancelled);
                continue;
            }

            AddRow(reader, map, orderId!, names, assembler);
        }

        if (!assembler.IsEmpty)
        {
            yield return assembler.TakeBatch(file?.CheckpointAt(end.Offset, end.Line).ToCheckpoint()) with { Progress = file?.ProgressAt(end.Offset) };
        }
    }

    // What makes a row unreadable whatever its values: the order id is not read from such a row.
    private static string? Check(RecordReader reader, ColumnMap map)
    {
        if (reader.IsOversized)
        {
            return FileRefusals.Oversized(reader);
        }

        if (reader.InvalidUtf8Offset() is { } invalid)
        {
            return FileRefusals.InvalidUtf8(invalid, reader.RecordStart);
        }

        if (reader.IsMalformed)
        {
            return "malformed quoted field: text follows a closing quote; a quote inside a value must be doubled (\"\"), fix the quoting in the export";
        }

        return reader.FieldCount == map.HeaderFields
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{reader.FieldCount} fields where the header has {map.HeaderFields}: the row would be read shifted; a value containing the delimiter must be quoted, check source.delimiter and the export's quoting");
    }

    private void AddRow(RecordReader reader, ColumnMap map, string orderId, NameTable names, OrderAssembler assembler)
    {
        var product = names.Get(reader[map.ProductName]);
        if (!FieldParsing.TryParseDecimal(reader[map.UnitPrice], out var price))
        {
            assembler.Refuse($"unit price '{Text(reader[map.UnitPrice])}' is not a number (use '.' for decimals, no currency sign)", reader.Line, reader, orderId);
            return;
        }

        if (!FieldParsing.TryParseDecimal(reader[map.Quantity], out var quantity))
        {
            assembler.Refuse($"quantity '{Text(reader[map.Quantity])}' is not a number", reader.Line, reader, orderId);
            return;
        }

        // Retail exports: a negative quantity is a return or a stock correction, left out by design (the order is skipped
        // as a return when nothing bought remains); a zero quantity goes in and is dropped by normalization.
        var returned = options.RetailRules && quantity < 0;
        if (!returned && OrderRules.CheckLine(product, price, quantity) is { } lineProblem)
        {
            assembler.Refuse(lineProblem, reader.Line, reader, orderId);
            return;
        }

        DateTimeOffset? date = null;
        if (map.OrderDate >= 0)
        {
            var dateBytes = FieldParsing.TrimBlank(reader[map.OrderDate]);
            if (!dateBytes.IsEmpty)
            {
                if (!FieldParsing.TryParseDate(dateBytes, options.DateFormat, out var parsed))
                {
                    assembler.Refuse(OrderRules.UnparsableDate(Text(dateBytes), FieldParsing.DescribeFormat(options.DateFormat)), reader.Line, reader, orderId);
                    return;
                }

                date = parsed;
            }
        }

        string? customer = null;
        if (map.CustomerId >= 0)
        {
            var customerBytes = FieldParsing.TrimBlank(reader[map.CustomerId]);
            customer = names.Get(options.RetailRules ? RetailPreset.NormalizeCustomer(customerBytes) : customerBytes);
            customer = customer.Length == 0 ? null : customer;
        }

        var currency = map.Currency >= 0 ? names.Get(reader[map.Currency]) : options.Currency;
        if (returned)
        {
            assembler.LeaveOut(orderId, reader.Line, reader, customer, date, currency, SkipReason.Return);
            return;
        }

        assembler.AddLine(orderId, reader.Line, reader, customer, date, currency, product, price, quantity);
    }

    /// <summary>Reads the header row and maps the configured columns; <see cref="InvalidDataException"/> says what is missing.</summary>
    internal static async Task<ColumnMap> ReadHeaderAsync(SourceFile file, CsvSourceOptions options, CancellationToken cancellationToken)
    {
        await using var stream = await file.OpenAtAsync(0, cancellationToken);
        using var reader = new RecordReader(stream, 0, 1, options.Delimiter, options.Limits, file.Name);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsOversized)
        {
            throw new InvalidDataException($"{options.Path}: no complete header row (the file is empty, or its first line has no line ending yet); a CSV source needs a header row naming its columns");
        }

        var headers = new List<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            headers.Add(Encoding.UTF8.GetString(reader[i]).Trim());
        }

        return ColumnMap.From(headers, options.Columns, options.Path) with { HeaderFields = headers.Count, HeaderLine = reader.RawText() };
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>A small reusable byte buffer for the previous row's order id.</summary>
    private sealed class ArrayBufferWriterLite
    {
        private byte[] _bytes = new byte[64];
        private int _length;

        public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

        public void Set(ReadOnlySpan<byte> value)
        {
            if (value.Length > _bytes.Length)
            {
                _bytes = new byte[value.Length * 2];
            }

            value.CopyTo(_bytes);
            _length = value.Length;
        }
    }
}
