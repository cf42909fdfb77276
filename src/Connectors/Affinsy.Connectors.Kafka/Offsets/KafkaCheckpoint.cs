using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// What a Kafka batch's checkpoint says: its sequence number in this run and, per partition ("topic/partition"),
/// the next offset that is safe to commit once the batch is acknowledged. The broker's committed offsets are the
/// real resume point; this document is how an acknowledgement finds its way back to the source, and a readable
/// record in <c>affinsy-connect status</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record KafkaCheckpoint(string Run, long Seq, IReadOnlyDictionary<string, long> Partitions)
{
    /// <summary>How a Kafka checkpoint is stored (read with <see cref="Checkpoint.As{T}"/>).</summary>
    public static JsonTypeInfo<KafkaCheckpoint> Json => KafkaCheckpointJsonContext.Default.KafkaCheckpoint;

    public Checkpoint ToCheckpoint() => Checkpoint.Of(this, Json);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KafkaCheckpoint))]
internal sealed partial class KafkaCheckpointJsonContext : JsonSerializerContext;
