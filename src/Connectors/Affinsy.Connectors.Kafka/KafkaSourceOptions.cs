using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Kafka;

/// <summary>A bound <c>type: kafka</c> source.</summary>
internal sealed record KafkaSourceOptions
{
    public required string BootstrapServers { get; init; }

    /// <summary>Topics to subscribe to; empty when <see cref="TopicPattern"/> is used.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>A regular expression naming the topics (librdkafka subscribes to it as <c>^pattern</c>).</summary>
    public string? TopicPattern { get; init; }

    public required string GroupId { get; init; }

    /// <summary>librdkafka settings passed through (security: <c>sasl.*</c>, <c>ssl.*</c>, <c>security.protocol</c>...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public string Format { get; init; } = Formats.KafkaFormats.Affinsy;

    /// <summary>
    /// The bound decoder of a format another connector registered (<c>shopify</c>, <c>woocommerce</c>); null for
    /// Kafka's own formats.
    /// </summary>
    public IOrderMessageDecoder? Decoder { get; init; }

    /// <summary><c>line_item</c>: an order with no new line for this long is complete.</summary>
    public TimeSpan OrderIdle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where undecodable messages go; null: they become refusals in the dead-letter store.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>librdkafka settings for the dead-letter producer only (over the shared connection settings).</summary>
    public IReadOnlyDictionary<string, string> DeadLetterProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>The dead-letter producer's <c>message.max.bytes</c>: past it a dead letter's value is cut.</summary>
    public int DeadLetterMaxMessageBytes =>
        DeadLetterProperties.TryGetValue("message.max.bytes", out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : DeadLetters.DeadLetterTopic.DefaultMaxMessageBytes;

    /// <summary>False (sync): stop at the end of the partitions as of the start. True: run until cancelled.</summary>
    public bool Stream { get; init; }

    /// <summary>Where a group with no committed offset starts: <c>earliest</c> or <c>latest</c>.</summary>
    public string StartFrom { get; init; } = "earliest";

    public int BatchMaxOrders { get; init; } = 1_000;

    /// <summary>A batch waits this long for more orders before it goes as it is.</summary>
    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Consumed messages that may wait for acknowledgement. Past it the consumer holds (takes no message, keeps
    /// librdkafka's prefetch) and, after <see cref="HoldBeforePause"/>, pauses its partitions until half are
    /// acknowledged. This is what bounds the connector's own memory: about 15 MB of two-line orders at the default.
    /// </summary>
    public int MaxUnacknowledged { get; init; } = DefaultMaxUnacknowledged;

    /// <summary>
    /// The default of <see cref="MaxUnacknowledged"/>: about what the sink holds in normal flow (two requests in
    /// flight and one being packed, up to 10,000 line items each). Measured at 1M messages, 32 partitions: 80,068
    /// msg/s at 20,000, 82,722 at 30,000, 82,129 at 100,000 (which held 60 MB more); before the hold, a pause at
    /// 30,000 dropped the prefetch in normal flow and gave 36,970.
    /// </summary>
    public const int DefaultMaxUnacknowledged = 30_000;

    /// <summary>
    /// Over <see cref="MaxUnacknowledged"/>, how long the consumer holds (stops taking messages, keeps librdkafka's
    /// prefetch) before it pauses the partitions. Rebalances wait at most this long to be served.
    /// </summary>
    public TimeSpan HoldBeforePause { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the consumer lag is measured (recorded as the affinsy.kafka.consumer_lag metric).</summary>
    public TimeSpan LagInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>On revocation, how long to wait for orders in flight to be acknowledged before letting go.</summary>
    public TimeSpan RevokeWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When stopped, how long acknowledgements still arriving are taken before the final commit.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A batch sync waits this long, at the end, for its last orders to be acknowledged so it can commit them.</summary>
    public TimeSpan FinalAcknowledgementWait { get; init; } = TimeSpan.FromSeconds(60);
}
