using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Where a Shopify pipeline is: the highest <c>updatedAt</c> whose orders (and all earlier ones) are acknowledged,
/// and, while a bulk export is in flight, its id and how many of its orders are already acknowledged, so a re-run
/// polls that same operation and skips what landed instead of starting over.
/// </summary>
internal sealed record ShopifyCheckpoint
{
    public DateTimeOffset? UpdatedAt { get; init; }

    public string? BulkOperationId { get; init; }

    /// <summary>Orders of the reassembled result already acknowledged (in the deterministic order <see cref="OrderSpill"/> emits them).</summary>
    public long? BulkOrdersDone { get; init; }

    public Checkpoint ToCheckpoint() => new(JsonSerializer.Serialize(this, RestJsonContext.Default.ShopifyCheckpoint));

    public static ShopifyCheckpoint Parse(Checkpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return new ShopifyCheckpoint();
        }

        try
        {
            return JsonSerializer.Deserialize(checkpoint.Value, RestJsonContext.Default.ShopifyCheckpoint) ?? new ShopifyCheckpoint();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                "The saved checkpoint is not a Shopify checkpoint (was the pipeline's source type changed?). Reset the pipeline's checkpoint to read the shop from the beginning.", e);
        }
    }
}
