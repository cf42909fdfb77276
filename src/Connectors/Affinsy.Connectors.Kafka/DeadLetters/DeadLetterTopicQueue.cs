using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Kafka.DeadLetters;

/// <summary>
/// A Kafka source's <c>dead_letter_topic</c> as the pipeline's dead-letter queue: <c>dead-letters replay</c> consumes it
/// (<see cref="TopicReplay"/>) in the consumer group <c>GROUP_ID.dead-letter-replay</c>, whose committed offsets say
/// what was replayed.
/// </summary>
internal sealed class DeadLetterTopicQueue(KafkaSourceOptions options, SourceContext context) : IDeadLetterQueue
{
    /// <summary>What the replay's consumer group adds to the pipeline's <c>group_id</c> (so prefixed group ACLs still cover it).</summary>
    public const string GroupSuffix = ".dead-letter-replay";

    public string Location => "Kafka topic " + options.DeadLetterTopic;

    public IQueuedLetterReplay OpenReplay(string? reason, bool dryRun, IReplayedLetters? replayed = null) => new TopicReplay(options, context, reason, dryRun, replayed);
}
