using System.Text;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.HttpJsonl.Reading;

/// <summary>
/// Reads an <c>http-jsonl</c> dead letter's line again with the pipeline's current <c>fields:</c> and <c>strict</c>
/// (<c>dead-letters replay</c>), without asking the endpoint: the letter holds the line as it was served.
/// </summary>
internal sealed class HttpJsonlRecordReplayer(HttpJsonlSourceOptions options, TimeProvider time) : IRecordReplayer
{
    public ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (letter.OriginalRecord.EndsWith(PageBatch.CutMark, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(RecordReplay.Cannot("the letter keeps only the first 4 KiB of a line longer than max_record_bytes; raise it and sync the page again (state reset) to read the whole line"));
        }

        var batch = new PageBatch(HttpJsonlOrderSource.Type, options.Lines);
        batch.Add(Encoding.UTF8.GetBytes(letter.OriginalRecord), false, letter.Position, 0, time.GetUtcNow());
        return ValueTask.FromResult(RecordReplay.Attach(letter, [batch.Take(null)]));
    }
}
