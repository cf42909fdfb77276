using Affinsy.Core.Sources;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// A live snapshot of a running sync, for a progress bar: read so far, and acknowledged so far. Its skipped and
/// dead-lettered counts are the ones the final <see cref="SyncResult"/> gives, so the line and the table agree.
/// </summary>
/// <param name="OrdersDeadLettered">Orders Affinsy refused or too large to send (see <see cref="SyncResult.OrdersDeadLettered"/>).</param>
public readonly record struct SyncProgress(
    long OrdersRead,
    long LineItemsRead,
    long OrdersSent,
    long LineItemsSent,
    long OrdersDeadLettered,
    long Requests)
{
    /// <summary>Records the source or normalization refused (dead-lettered), as <see cref="SyncResult.OrdersRefused"/>.</summary>
    public long OrdersRefused { get; init; }

    /// <summary>Every dead letter so far: refused by the source plus refused by Affinsy.</summary>
    public long DeadLetteredTotal => OrdersRefused + OrdersDeadLettered;

    /// <summary>How far through the source the last batch taken ended, when the source knows its size.</summary>
    public SourceProgress? Source { get; init; }

    /// <summary>Orders skipped by design so far, by reason (a copy).</summary>
    public SkipCounts Skipped { get; init; } = new();
}
