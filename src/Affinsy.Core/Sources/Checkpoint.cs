namespace Affinsy.Core.Sources;

/// <summary>
/// A source's position, opaque to everything but the source that wrote it (a byte offset, a cursor,
/// an updated-at watermark...). Serialized as a string so every state store can keep it.
/// </summary>
/// <param name="Value">The source-specific encoding, typically a small JSON document.</param>
public sealed record Checkpoint(string Value);
