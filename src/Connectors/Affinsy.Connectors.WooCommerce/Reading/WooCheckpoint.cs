using System.Globalization;
using System.Text.Json;
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
        new(JsonSerializer.Serialize(
            new Wire(ModifiedGmt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), Ids),
            WooCheckpointJsonContext.Default.Wire));

    /// <summary>Reads a checkpoint written by this source; a clear error for anything else.</summary>
    public static WooCheckpoint Parse(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(checkpoint.Value, WooCheckpointJsonContext.Default.Wire);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(Unreadable(checkpoint), e);
        }

        if (wire?.ModifiedGmt is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var modified))
        {
            throw new InvalidOperationException(Unreadable(checkpoint));
        }

        return new WooCheckpoint(modified, wire.Ids ?? []);
    }

    private static string Unreadable(Checkpoint checkpoint) =>
        $"The stored checkpoint is not a WooCommerce checkpoint ('{checkpoint.Value}'); "
        + "it was written by another source type. Reset the pipeline's state to read the whole history again.";

    internal sealed record Wire(string? ModifiedGmt, IReadOnlyList<long>? Ids);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WooCheckpoint.Wire))]
internal sealed partial class WooCheckpointJsonContext : JsonSerializerContext;
