namespace Affinsy.Sink.Pipelines;

/// <summary>A live snapshot of a running sync, for a progress bar: read so far, and acknowledged so far.</summary>
internal readonly record struct SyncProgress(
    long OrdersRead,
    long LineItemsRead,
    long OrdersSent,
    long LineItemsSent,
    long OrdersDeadLettered,
    long Requests);
