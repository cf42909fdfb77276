using System.Text;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// Reads a CSV dead letter again with the pipeline's current options (columns, delimiter, date format, preset...). A
/// letter holds the header line and the order's rows (or the refused row); one written before letters kept the header
/// (a single row) is read under the source file's current header.
/// </summary>
internal sealed class CsvRecordReplayer(CsvSourceOptions options) : IRecordReplayer
{
    public async ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (LetterRecords.WhyNotReplayable(letter.OriginalRecord) is { } why)
        {
            return RecordReplay.Cannot(why);
        }

        var text = letter.OriginalRecord;
        if (await HeaderOfAsync(text, cancellationToken) is not { } map)
        {
            // No header this pipeline's columns map: a single row from before letters kept one; read it under the file's.
            string? fileHeader = null;
            try
            {
                var file = await SourceFile.IdentifyAsync(options.Path, options.Encoding, cancellationToken, verify: false);
                fileHeader = (await CsvOrderSource.ReadHeaderAsync(file, options, cancellationToken)).HeaderLine;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return RecordReplay.Cannot($"the record has no header row that source.columns maps, and the header of {options.Path} cannot be read ({e.Message})");
            }

            text = fileHeader + "\n" + text;
            if (await HeaderOfAsync(text, cancellationToken) is not { } fileMap)
            {
                return RecordReplay.Cannot($"neither the record's first row nor the header of {options.Path} has the columns source.columns names");
            }

            map = fileMap;
        }

        using var reader = LetterRecords.Reader(text, options.Delimiter, options.Limits);
        await reader.ReadAsync(cancellationToken); // the header row
        var source = new CsvOrderSource(options);
        var assembler = new OrderAssembler(CsvOrderSource.Type, int.MaxValue, int.MaxValue, header: map.HeaderLine);
        var batches = await LetterRecords.CollectAsync(source.ReadRowsAsync(reader, map, assembler, file: null, reader.RecordEnd, cancellationToken), cancellationToken);
        return RecordReplay.Attach(letter, batches);
    }

    /// <summary>The column map of the text's first row read as a header, or null when the configured columns are not all in it.</summary>
    private async Task<ColumnMap?> HeaderOfAsync(string text, CancellationToken cancellationToken)
    {
        using var reader = LetterRecords.Reader(text, options.Delimiter, options.Limits);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsOversized)
        {
            return null;
        }

        var headers = new List<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            headers.Add(Encoding.UTF8.GetString(reader[i]).Trim());
        }

        try
        {
            return ColumnMap.From(headers, options.Columns, "the dead letter") with { HeaderFields = headers.Count, HeaderLine = reader.RawText() };
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
