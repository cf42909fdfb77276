using System.Globalization;
using System.Text.Json.Serialization;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce.Reading;

/// <summary>
/// Where an incremental read stands: the highest <c>date_modified_gmt</c> whose orders are all acknowledged,
/// and the ids already sent at exactly that instant (WooCommerce dates have whole seconds, so several orders
/// can share it and a page can end among them).
/// </summary>
internal sealed record WooCheckpoint(DateTimeOffset ModifiedGmt, IReadOnlyList<long> Ids)
{
    public Checkpoint ToCheckpoint() =>
        Checkpoint.Of(new Wire(ModifiedGmt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), Ids), WooCheckpointJsonContext.Default.Wire);

    /// <summary>Reads a checkpoint written by this source; <see cref="UnreadableCheckpointException"/> for anything else.</summary>
    public static WooCheckpoint Parse(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var wire = checkpoint.As(WooCheckpointJsonContext.Default.Wire);
        if (wire.ModifiedGmt is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var modified))
        {
            throw new UnreadableCheckpointException($"the stored checkpoint '{checkpoint.Value}' has no readable modified_gmt; was the pipeline's source type changed?");
        }

        return new WooCheckpoint(modified, wire.Ids ?? []);
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record Wire(string? ModifiedGmt, IReadOnlyList<long>? Ids);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WooCheckpoint.Wire))]
internal sealed partial class WooCheckpointJsonContext : JsonSerializerContext;
