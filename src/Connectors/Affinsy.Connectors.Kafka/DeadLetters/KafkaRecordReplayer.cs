using System.Globalization;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// <c>dead-letters replay</c> of the messages a Kafka source kept in the dead-letter store (a pipeline without
/// <c>dead_letter_topic</c>, or a letter the topic refused): each letter's value (<see cref="StoredMessage"/>) is decoded
/// again as the message at its position, through the pipeline's current <c>format:</c> and its keys, as a sync decodes
/// it (the encoding check first). A <c>line_item</c> letter of one message is a one-line order version, as in a sync
/// that completes an order at the end of a batch; a <c>line_item</c> order refused whole keeps all its messages
/// (<see cref="StoredMessage.WriteOrder"/>), which are read again in their order into one order. Not replayed, with
/// why: a value cut when stored, a letter from an older version that lost bytes or kept only an order's first message.
/// </summary>
internal sealed class KafkaRecordReplayer(KafkaSourceOptions options) : IRecordReplayer
{
    private static readonly System.Buffers.SearchValues<char> TopicCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var (order, orderProblem) = StoredMessage.ReadOrder(letter.OriginalRecord, letter.Reason);
        if (orderProblem is not null)
        {
            return ValueTask.FromResult(RecordReplay.Cannot(orderProblem));
        }

        var records = new List<KafkaRecord>();
        foreach (var (at, value, problem) in order is null ? [OneMessage(letter)] : order.Select(m => (m.Position, m.Value, (string?)null)))
        {
            if (problem is not null)
            {
                return ValueTask.FromResult(RecordReplay.Cannot(problem));
            }

            if (Parse(at) is not { } position)
            {
                return ValueTask.FromResult(RecordReplay.Cannot($"'{at}' is not a Kafka message position (topic/partition@offset)"));
            }

            records.Add(new KafkaRecord(position.TopicPartition, position.Offset.Value, letter.At, null, value, null));
        }

        // The messages in their order, through one instance of the format: an order's lines gather again as in a sync.
        var output = new Collected(letter.OriginalRecord);
        var format = KafkaFormats.Create(options);
        foreach (var record in records)
        {
            format.Accept(record, output);
        }

        format.FlushAll(output);
        return ValueTask.FromResult(RecordReplay.Attach(letter, [output.ToBatch()]));
    }

    /// <summary>A letter of one message: its position and value, or why it cannot be decoded again.</summary>
    private static (string Position, byte[]? Value, string? Problem) OneMessage(DeadLetter letter)
    {
        if (letter.Position.Contains(", ", StringComparison.Ordinal))
        {
            // Written before letters kept every message of an order.
            return (letter.Position, null, "an order gathered from several messages and refused whole, by a version whose letter kept only the first: publish the fixed lines to the source topic again, then purge the letter");
        }

        var (value, notReplayable) = StoredMessage.Read(letter.OriginalRecord, letter.Reason);
        return (letter.Position, value, notReplayable);
    }

    /// <summary>Reads <c>topic/partition@offset</c> (a Kafka topic name is ASCII letters, digits, '.', '_' and '-').</summary>
    internal static TopicPartitionOffset? Parse(string position)
    {
        var at = position.LastIndexOf('@');
        var slash = at < 0 ? -1 : position.LastIndexOf('/', at);
        return slash > 0
            && !position.AsSpan(0, slash).ContainsAnyExcept(TopicCharacters)
            && int.TryParse(position.AsSpan(slash + 1, at - slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && long.TryParse(position.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new TopicPartitionOffset(position[..slash], partition, offset)
            : null;
    }

    /// <summary>What decoding one letter gave; a problem keeps the letter's record (its identity is position and reason).</summary>
    private sealed class Collected(string originalRecord) : IFormatOutput
    {
        private readonly List<OrderDraft> drafts = [];
        private readonly List<Refusal> refusals = [];
        private SkipCounts? skipped;

        public void Draft(OrderDraft draft) => drafts.Add(draft);

        public void Problem(string reason, KafkaRecord record, string? orderId) =>
            refusals.Add(new Refusal(reason + record.OversizeNote, record.Position, originalRecord, orderId));

        public void Skipped(SkipReason reason) => (skipped ??= new SkipCounts()).Add(reason);

        public OrderBatch ToBatch() => new(drafts, refusals, null) { Skipped = skipped };
    }
}
