using System.Text;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// What Kafka does with any registered format's answer, whatever connector wrote the format: the message's position
/// and value go with a problem and with a draft the pipeline will refuse, and a skip is only counted.
/// </summary>
public sealed class RegisteredMessageFormatTests
{
    private static readonly KafkaRecord Record =
        new(new TopicPartition("orders", 2), 41, DateTimeOffset.UnixEpoch, null, Encoding.UTF8.GetBytes("{\"id\": 7}"), null);

    [Fact]
    public void A_refusal_is_a_problem_at_the_messages_position_with_the_order_id()
    {
        var output = Accept(DecodedMessage.Refused("no line items", "7"));

        var (reason, record, orderId) = Assert.Single(output.Problems);
        Assert.Equal(("no line items", "orders/2@41", "7"), (reason, record.Position, orderId));
    }

    [Fact]
    public void A_draft_the_mapper_already_refused_is_a_problem_not_an_order()
    {
        var draft = new OrderDraft("7");
        draft.Refuse("order_date 'yesterday' is not a date");

        var output = Accept(DecodedMessage.Order(draft));

        Assert.Empty(output.Drafts);
        Assert.Equal(("order_date 'yesterday' is not a date", "7"), (output.Problems[0].Reason, output.Problems[0].OrderId));
    }

    [Fact]
    public void A_draft_the_pipeline_will_refuse_carries_the_message_as_its_origin()
    {
        var refused = new OrderDraft("7"); // no lines: refused whole by the normalizer
        var sent = new OrderDraft("8");
        sent.AddLine("Tea", 2m, 1m);

        var output = Accept(DecodedMessage.Order(refused), DecodedMessage.Order(sent));

        Assert.Equal(["7", "8"], output.Drafts.Select(d => d.OrderId));
        Assert.Equal("orders/2@41", output.Drafts[0].Origin?.Position);
        Assert.Equal("{\"id\": 7}", output.Drafts[0].Origin?.OriginalRecord);
        Assert.Null(output.Drafts[1].Origin); // only a draft that will be refused keeps the message
    }

    [Fact]
    public void A_skip_is_counted_and_nothing_is_an_answer_too()
    {
        var output = Accept(DecodedMessage.Skip(SkipReason.Test), default);

        Assert.Equal([SkipReason.Test], output.Skips);
        Assert.Empty(output.Drafts);
        Assert.Empty(output.Problems);
    }

    private static Collected Accept(params DecodedMessage[] answers)
    {
        var output = new Collected();
        var format = new RegisteredMessageFormat(new Answering(answers));
        foreach (var _ in answers)
        {
            format.Accept(Record, output);
        }

        return output;
    }

    /// <summary>A format's decoder that answers the given messages in turn (the contract, not another connector's code).</summary>
    private sealed class Answering(DecodedMessage[] answers) : IOrderMessageDecoder
    {
        private int next;

        public DecodedMessage Decode(ReadOnlySpan<byte> value) => answers[next++];
    }

    private sealed class Collected : IFormatOutput
    {
        public List<OrderDraft> Drafts { get; } = [];

        public List<(string Reason, KafkaRecord Record, string? OrderId)> Problems { get; } = [];

        public List<SkipReason> Skips { get; } = [];

        public void Draft(OrderDraft draft) => Drafts.Add(draft);

        public void Problem(string reason, KafkaRecord record, string? orderId) => Problems.Add((reason, record, orderId));

        public void Skipped(SkipReason reason) => Skips.Add(reason);
    }
}
