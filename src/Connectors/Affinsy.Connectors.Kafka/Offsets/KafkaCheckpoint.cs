using System.Text.Json;
using System.Text.Json.Serialization;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Offsets;

/// <summary>
/// What a Kafka batch's checkpoint says: its sequence number in this run and, per partition ("topic/partition"),
/// the next offset that is safe to commit once the batch is acknowledged. The broker's committed offsets are the
/// real resume point; this document is how an acknowledgement finds its way back to the source, and a readable
/// record in <c>affinsy-connect status</c>.
/// </summary>
internal sealed record KafkaCheckpoint(string Run, long Seq, IReadOnlyDictionary<string, long> Partitions)
{
    public Checkpoint ToCheckpoint() => new(JsonSerializer.Serialize(this, KafkaCheckpointJsonContext.Default.KafkaCheckpoint));

    /// <summary>Reads a checkpoint this source wrote; null for anything else (another source's, a torn value).</summary>
    public static KafkaCheckpoint? From(Checkpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(checkpoint.Value, KafkaCheckpointJsonContext.Default.KafkaCheckpoint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KafkaCheckpoint))]
internal sealed partial class KafkaCheckpointJsonContext : JsonSerializerContext;
