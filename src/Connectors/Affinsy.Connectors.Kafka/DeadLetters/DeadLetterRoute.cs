using Affinsy.Connectors.Kafka.Consuming;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Sources;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// Where a message that cannot become an order goes: to <c>dead_letter_topic</c> when one is set and takes it, else to
/// the pipeline's dead-letter store with its value. Either way it is a refusal of the batch, so the pipeline counts it
/// where it counts every other dead letter (run summary, run history, status, the metric); one that went to the topic
/// carries no record (the record is on the topic). Consumer thread only: a dead letter is produced and awaited there,
/// before the offset that passes it can be stored.
/// </summary>
internal sealed class DeadLetterRoute : IDisposable
{
    private readonly DeadLetterTopic? topic;
    private readonly CancellationToken token;

    private DeadLetterRoute(DeadLetterTopic? topic, CancellationToken token)
    {
        this.topic = topic;
        this.token = token;
    }

    /// <summary>Opens the dead-letter producer when the source has a topic.</summary>
    public static DeadLetterRoute Open(KafkaSourceOptions options, string pipeline, ILogger logger, CancellationToken token)
    {
        if (options.DeadLetterTopic is null)
        {
            return new DeadLetterRoute(null, token);
        }

        var producer = KafkaClients.Build(options, pipeline, () => new ProducerBuilder<byte[]?, byte[]?>(DeadLetterTopic.ProducerConfig(options)).Build());
        return new DeadLetterRoute(new DeadLetterTopic(producer, options.DeadLetterTopic, options.DeadLetterMaxMessageBytes, pipeline, logger), token);
    }

    public Refusal Refuse(string reason, KafkaRecord record, string? orderId)
    {
        if (topic is not null && topic.TryProduce(reason, record, token))
        {
            return new Refusal(reason, record.Position, string.Empty, orderId) { DeliveredTo = "Kafka topic " + topic.Topic };
        }

        return new Refusal(reason + record.OversizeNote, record.Position, record.StoredText, orderId);
    }

    /// <summary>Puts a dead letter read from the topic back at its end, unchanged (see <see cref="DeadLetterTopic.Requeue"/>).</summary>
    public void Requeue(TopicPartition partition, Message<byte[]?, byte[]?> letter) =>
        (topic ?? throw new InvalidOperationException("no dead-letter topic to requeue to")).Requeue(partition, letter, token);

    public void Dispose() => topic?.Dispose();
}
