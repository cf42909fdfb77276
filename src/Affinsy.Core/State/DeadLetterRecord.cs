using System.Text.Json.Serialization;

namespace Affinsy.Core.State;

/// <summary>One line of a dead-letter file (snake_case JSON).</summary>
internal sealed record DeadLetterRecord(
    string Pipeline,
    string Reason,
    string Position,
    string OriginalRecord,
    string? OrderId,
    DateTimeOffset At,
    string? Details);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeadLetterRecord))]
internal sealed partial class DeadLetterJsonContext : JsonSerializerContext;
