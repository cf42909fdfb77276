using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Affinsy.Core.Sources;

/// <summary>
/// A source's position, opaque to everything but the source that wrote it (a byte offset, a cursor,
/// an updated-at watermark...). Serialized as a string so every state store can keep it.
/// </summary>
/// <param name="Value">The source-specific encoding, typically a small JSON document.</param>
public sealed record Checkpoint(string Value)
{
    /// <summary>Encodes a source's position as JSON (with the source's source-generated type info).</summary>
    public static Checkpoint Of<T>(T value, JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new Checkpoint(JsonSerializer.Serialize(value, info));
    }

    /// <summary>
    /// Decodes a position written by <see cref="Of{T}"/>. Anything else (another source type's checkpoint, a
    /// hand-edited or torn value) is an <see cref="UnreadableCheckpointException"/>, the same for every source.
    /// </summary>
    public T As<T>(JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(info);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(Value, info);
        }
        catch (JsonException e)
        {
            throw new UnreadableCheckpointException(Describe(typeof(T), e.Message), e);
        }

        return value ?? throw new UnreadableCheckpointException(Describe(typeof(T), "it is null"), null);
    }

    private string Describe(Type expected, string problem)
    {
        var shown = Value.Length <= 120 ? Value : string.Concat(Value.AsSpan(0, 120), "...");
        return $"the stored checkpoint '{shown}' is not a {expected.Name} ({problem}); was the pipeline's source type changed?";
    }
}
