using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Where a Shopify pipeline is: the highest <c>updatedAt</c> whose orders (and all earlier ones) are acknowledged,
/// and, while a bulk export is in flight, its id and how many of its orders are already acknowledged, so a re-run
/// polls that same operation and skips what landed instead of starting over; while a REST pass is in flight, where it
/// is, so a re-run resumes after the last order id handed over.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ShopifyCheckpoint
{
    public DateTimeOffset? UpdatedAt { get; init; }

    public string? BulkOperationId { get; init; }

    /// <summary>Orders of the reassembled result already acknowledged (in the deterministic order <see cref="OrderSpill"/> emits them).</summary>
    public long? BulkOrdersDone { get; init; }

    /// <summary>
    /// Partitions the in-flight result is reassembled in (with <see cref="BulkOrdersDone"/>): the order of the orders
    /// depends on it, so a resumed run reuses it. Absent in checkpoints written before it: then the count came from
    /// <c>objectCount</c> alone.
    /// </summary>
    public int? BulkPartitions { get; init; }

    /// <summary>REST, while a pass is in flight: the highest order id handed over (pages come in id order, <c>since_id</c>).</summary>
    public long? RestAfterId { get; init; }

    /// <summary>REST, while a pass is in flight: the highest <c>updated_at</c> it has seen.</summary>
    public DateTimeOffset? RestSeen { get; init; }

    /// <summary>REST, while a pass is in flight: when it began (the watermark it ends with is never later).</summary>
    public DateTimeOffset? RestPassStartedAt { get; init; }

    /// <summary>
    /// Result lines acknowledged, as checkpoints written before the bulk result was reassembled by order said; read so
    /// those checkpoints stay readable (unknown fields are refused), never used and never written (null).
    /// </summary>
    public long? BulkLinesDone { get; init; }

    /// <summary>How a Shopify checkpoint is stored (read with <see cref="Checkpoint.As{T}"/>).</summary>
    public static JsonTypeInfo<ShopifyCheckpoint> Json => RestJsonContext.Default.ShopifyCheckpoint;

    public Checkpoint ToCheckpoint() => Checkpoint.Of(this, Json);

    /// <summary>Where to start: the stored checkpoint, or the beginning when there is none.</summary>
    public static ShopifyCheckpoint Start(Checkpoint? checkpoint) => checkpoint?.As(Json) ?? new ShopifyCheckpoint();
}
