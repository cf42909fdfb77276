using System.Text.Json.Serialization;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>One line of a dead-letter file (snake_case JSON); files written before ids existed lack <c>id</c>.</summary>
internal sealed record DeadLetterRecord(
    string Pipeline,
    string Reason,
    string Position,
    string OriginalRecord,
    string? OrderId,
    DateTimeOffset At,
    string? Details,
    string? Id = null,
    DateTimeOffset? ResolvedAt = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeadLetterRecord))]
internal sealed partial class DeadLetterJsonContext : JsonSerializerContext;
