using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>Reads a JSON Lines dead letter (one line, one order) again with the pipeline's current <c>fields:</c> and <c>strict</c>.</summary>
internal sealed class JsonlRecordReplayer(JsonlSourceOptions options) : IRecordReplayer
{
    public async ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (LetterRecords.WhyNotReplayable(letter.OriginalRecord) is { } why)
        {
            return RecordReplay.Cannot(why);
        }

        using var reader = LetterRecords.Reader(letter.OriginalRecord, delimiter: null, options.Limits);
        var assembler = new OrderAssembler(JsonlOrderSource.Type, int.MaxValue, int.MaxValue, replaceRepeatedOrders: true);
        var source = new JsonlOrderSource(options);
        var batches = await LetterRecords.CollectAsync(source.ReadLinesAsync(reader, assembler, file: null, (0, 1), cancellationToken), cancellationToken);
        return RecordReplay.Attach(letter, batches);
    }
}
