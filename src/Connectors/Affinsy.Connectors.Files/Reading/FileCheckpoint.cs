using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// Where a file source stands: the file's identity when it was read, and the offset (with its line
/// number) just past the last order in an acknowledged batch. For gzip files the offset counts bytes
/// of the decompressed stream; resuming decompresses from the start and skips that many bytes.
/// </summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Size">Its size on disk when read (compressed size for .gz).</param>
/// <param name="Modified">Its last write time when read (informative: a touched but unchanged file resumes).</param>
/// <param name="HeadLength">How many leading bytes <paramref name="HeadSha256"/> covers (up to 4 KiB).</param>
/// <param name="HeadSha256">SHA-256 (hex) of the file's first <paramref name="HeadLength"/> bytes on disk.</param>
/// <param name="Offset">Offset of the next unread record (decompressed for .gz).</param>
/// <param name="Line">1-based line number at <paramref name="Offset"/>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record FileCheckpoint(
    string Path,
    long Size,
    DateTimeOffset Modified,
    int HeadLength,
    string HeadSha256,
    long Offset,
    long Line)
{
    /// <summary>How a file checkpoint is stored (read with <see cref="Checkpoint.As{T}"/>).</summary>
    public static JsonTypeInfo<FileCheckpoint> Json => FileCheckpointJsonContext.Default.FileCheckpoint;

    public Checkpoint ToCheckpoint() => Checkpoint.Of(this, Json);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FileCheckpoint))]
internal sealed partial class FileCheckpointJsonContext : JsonSerializerContext;
