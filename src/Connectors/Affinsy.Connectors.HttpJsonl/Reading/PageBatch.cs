using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.HttpJsonl.Reading;

/// <summary>
/// Gathers one page's lines into a batch the way the <c>jsonl</c> source does: one draft per line (a repeated order
/// id is a newer version and replaces the earlier one in the batch), a refusal with position <c>URL line N</c> and the
/// line's text for a line that cannot be read. The text of a draft's line is kept only when normalization will refuse
/// it: the line's bytes are reused by the next read.
/// </summary>
internal sealed class PageBatch(string source, IOrderMessageDecoder decoder)
{
    /// <summary>Ends the letter of a line longer than <c>max_record_bytes</c> (only its first 4 KiB are kept).</summary>
    public const string CutMark = "\n# affinsy-connect: record cut at 4 KiB";

    private readonly List<OrderDraft> _drafts = [];
    private readonly List<Refusal> _refusals = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private SkipCounts? _skipped;

    public int Orders => _drafts.Count;

    public bool IsEmpty => _drafts.Count == 0 && _refusals.Count == 0 && _skipped is null;

    /// <summary>Reads one line; <paramref name="page"/> is the page's shown URL, for positions.</summary>
    public void Add(ReadOnlySpan<byte> line, bool oversized, string page, long number, DateTimeOffset dataTime)
    {
        if (oversized)
        {
            Refuse($"the line is longer than max_record_bytes; its first {Reading.PageLines.KeptOfOversized / 1024} KiB are kept here; raise max_record_bytes if such orders are real", line, page, number, null, CutMark);
            return;
        }

        if (Utf8.IsValid(line) is false)
        {
            Refuse("the line is not valid UTF-8 (bytes shown as \\xNN); JSON Lines must be UTF-8: fix the export's encoding", line, page, number, null);
            return;
        }

        var decoded = decoder.Decode(line);
        if (decoded.Draft is { } draft)
        {
            draft.Source = source;
            draft.SourceUpdatedAt = dataTime;
            if (draft.WillBeRefused)
            {
                draft.Origin = RecordOrigin.Of(Position(page, number), Encoding.UTF8.GetString(line));
            }

            Keep(draft);
        }
        else if (decoded.Problem is { } problem)
        {
            Refuse(problem, line, page, number, decoded.OrderId);
        }
        else if (decoded.Skipped is { } reason)
        {
            (_skipped ??= new SkipCounts()).Add(reason);
        }
    }

    public OrderBatch Take(Checkpoint? checkpoint)
    {
        var batch = new OrderBatch([.. _drafts], [.. _refusals], checkpoint) { Skipped = _skipped };
        _drafts.Clear();
        _refusals.Clear();
        _index.Clear();
        _skipped = null;
        return batch;
    }

    public static string Position(string page, long number) => $"{page} line {number.ToString(CultureInfo.InvariantCulture)}";

    private void Keep(OrderDraft draft)
    {
        if (draft.OrderId is { } id && _index.TryGetValue(id, out var at))
        {
            _drafts[at] = draft;
            return;
        }

        if (draft.OrderId is { } newId)
        {
            _index[newId] = _drafts.Count;
        }

        _drafts.Add(draft);
    }

    private void Refuse(string reason, ReadOnlySpan<byte> line, string page, long number, string? orderId, string suffix = "") =>
        _refusals.Add(new Refusal(reason, Position(page, number), Text(line) + suffix, orderId));

    /// <summary>The line as text, bytes that are not UTF-8 written <c>\xNN</c> (never U+FFFD, so the letter shows what was sent).</summary>
    private static string Text(ReadOnlySpan<byte> line)
    {
        if (Utf8.IsValid(line))
        {
            return Encoding.UTF8.GetString(line);
        }

        var text = new StringBuilder(line.Length);
        while (!line.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(line, out var rune, out var used) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                for (var i = 0; i < used; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{line[i]:X2}");
                }
            }

            line = line[used..];
        }

        return text.ToString();
    }
}
