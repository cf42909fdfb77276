using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// A format another connector registered (<see cref="IOrderMessageFormat"/>), as the consumer loop drives every
/// format. It exists to keep what is Kafka's the same for every registered format: the message's position and value
/// travel as the origin of a draft the pipeline will refuse, and a problem goes to the dead-letter topic or store
/// with its position. Every message is a whole order, so nothing is held back.
/// </summary>
internal sealed class RegisteredMessageFormat(IOrderMessageDecoder decoder) : StatelessMessageFormat
{
    public IOrderMessageDecoder Decoder => decoder;

    public override void Accept(KafkaRecord record, IFormatOutput output)
    {
        var decoded = decoder.Decode(record.Value);
        if (decoded.Draft is { } draft)
        {
            MessageFields.Deliver(draft, record, output);
        }
        else if (decoded.Problem is { } problem)
        {
            output.Problem(problem, record, decoded.OrderId);
        }
        else if (decoded.Skipped is { } reason)
        {
            output.Skipped(reason);
        }
    }
}
