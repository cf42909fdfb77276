using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce.Reading;

/// <summary>
/// Where a keyset read of <see cref="WooCommerceOrderSource"/> stands: the checkpoint's boundary instant with the ids
/// read at it (what the next run skips), and this run's last instant with its ids (what the next query skips, since it
/// starts a second before that instant).
/// </summary>
internal sealed class KeysetPosition(WooCheckpoint? start)
{
    private readonly HashSet<long> idsAtBoundary = new(start?.Ids ?? []);
    private readonly HashSet<long> idsAtKey = [];
    private DateTimeOffset? boundary = start?.ModifiedGmt;
    private DateTimeOffset? key;

    /// <summary>The last instant read in this run.</summary>
    public DateTimeOffset? Key => key;

    /// <summary>The page's orders not read before, in order; both instants move past them.</summary>
    public List<WooOrder> Fresh(IReadOnlyList<WooOrder> orders)
    {
        var fresh = new List<WooOrder>(orders.Count);
        foreach (var wooOrder in orders)
        {
            var modified = WooCommerceOrderMapper.ParseGmt(wooOrder.DateModifiedGmt);
            if (modified is { } m
                && ((m == boundary && idsAtBoundary.Contains(wooOrder.Id)) || (m == key && idsAtKey.Contains(wooOrder.Id))))
            {
                continue;
            }

            fresh.Add(wooOrder);
            if (modified is { } read)
            {
                Advance(ref key, idsAtKey, read, wooOrder.Id);
                Advance(ref boundary, idsAtBoundary, read, wooOrder.Id);
            }
        }

        return fresh;
    }

    /// <summary>The checkpoint after what was read so far, or <paramref name="from"/> while nothing dated was read.</summary>
    public Checkpoint? Checkpoint(Checkpoint? from) =>
        boundary is { } b ? new WooCheckpoint(b, [.. idsAtBoundary]).ToCheckpoint() : from;

    private static void Advance(ref DateTimeOffset? instant, HashSet<long> ids, DateTimeOffset read, long id)
    {
        if (instant is null || read > instant)
        {
            instant = read;
            ids.Clear();
        }

        if (read == instant)
        {
            ids.Add(id);
        }
    }
}
