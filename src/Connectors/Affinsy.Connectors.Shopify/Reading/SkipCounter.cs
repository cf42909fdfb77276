using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Orders deliberately not sent during one pass: per batch (carried by <see cref="OrderBatch.Skipped"/>) and in total
/// (for the closing log line). A pass may read an order twice (the catch-up after a bulk export starts a lookback
/// before the export did): once <see cref="RememberFrom"/> is set, skipped orders updated since then are remembered by
/// id, and a second read of one counts nothing. Only that window is remembered, so memory stays small.
/// </summary>
public sealed class SkipCounter
{
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private SkipCounts? _batch;

    /// <summary>Every order skipped in this pass, by reason.</summary>
    internal SkipCounts Total { get; } = new();

    /// <summary>Skipped orders updated at or after this time are remembered so a re-read does not count them again.</summary>
    internal DateTimeOffset? RememberFrom { get; set; }

    /// <summary>Counts a skipped order, unless this pass already counted it.</summary>
    internal void Add(string orderId, DateTimeOffset? updatedAt, SkipReason reason)
    {
        if (_recent.Contains(orderId))
        {
            return;
        }

        if (RememberFrom is { } from && updatedAt is { } at && at >= from)
        {
            _recent.Add(orderId);
        }

        (_batch ??= new SkipCounts()).Add(reason);
        Total.Add(reason);
    }

    /// <summary>The counts since the last call (null when none), for the batch being emitted.</summary>
    internal SkipCounts? TakeBatch()
    {
        var batch = _batch;
        _batch = null;
        return batch;
    }
}
