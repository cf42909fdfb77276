using System.Text;
using System.Text.RegularExpressions;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>What the file sources' re-readers share: which letters can be read again, and reading their text.</summary>
internal static partial class LetterRecords
{
    /// <summary>Why a letter's record cannot be read again, or null when it can.</summary>
    public static string? WhyNotReplayable(string record)
    {
        if (record.Length == 0)
        {
            return "the letter holds no record to read again; fix the record at the source and sync it again";
        }

        if (record.Contains(KeptRecords.CutLine, StringComparison.Ordinal))
        {
            return "the record was too long to keep whole when it was dead-lettered (see its last line in 'dead-letters show'); fix it at the source and sync with --full-refresh, or purge the letter";
        }

        return OlderSummary().IsMatch(record)
            ? "the letter was written by an older version that kept only the order's first row; fix the order at the source and sync with --full-refresh, or purge the letter"
            : null;
    }

    /// <summary>A reader over the record's text, ended by a line break so its last line is complete.</summary>
    public static RecordReader Reader(string text, byte? delimiter, ReaderLimits limits) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text + "\n"), writable: false), 0, 1, delimiter, limits, "the dead letter");

    /// <summary>Every batch a re-read yields (a letter is small: one order, or one row).</summary>
    public static async Task<List<OrderBatch>> CollectAsync(IAsyncEnumerable<OrderBatch> batches, CancellationToken cancellationToken)
    {
        var all = new List<OrderBatch>();
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            all.Add(batch);
        }

        return all;
    }

    /// <summary>How letters of several rows ended before they kept every row.</summary>
    [GeneratedRegex(@"\n\(and \d+ more rows of this order, up to line \d+\)\z")]
    private static partial Regex OlderSummary();
}
