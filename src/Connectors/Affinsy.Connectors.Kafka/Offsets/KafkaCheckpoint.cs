using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// What a Kafka batch's checkpoint says: its sequence number in this run and, per partition ("topic/partition"),
/// the next offset that is safe to commit once the batch is acknowledged. The broker's committed offsets are the
/// real resume point; this document is how an acknowledgement finds its way back to the source, and a readable
/// record in <c>affinsy-connect status</c>. Public so that a reader of saved checkpoints (the <c>kafka</c>
/// benchmark, which times each batch to the save that covers it) reads them with <see cref="Json"/> and
/// <see cref="Checkpoint.As{T}"/> rather than a copy of the shape.
/// </summary>
/// <param name="Run">The run that wrote it.</param>
/// <param name="Seq">The batch's sequence number in that run.</param>
/// <param name="Partitions">Per partition (<c>topic/partition</c>), the next offset that is safe to commit.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record KafkaCheckpoint(string Run, long Seq, IReadOnlyDictionary<string, long> Partitions)
{
    /// <summary>How a Kafka checkpoint is stored (read with <see cref="Checkpoint.As{T}"/>).</summary>
    public static JsonTypeInfo<KafkaCheckpoint> Json => KafkaCheckpointJsonContext.Default.KafkaCheckpoint;

    internal Checkpoint ToCheckpoint() => Checkpoint.Of(this, Json);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KafkaCheckpoint))]
internal sealed partial class KafkaCheckpointJsonContext : JsonSerializerContext;
