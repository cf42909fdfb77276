namespace Affinsy.Core.State;

/// <summary>
/// What each pipeline last delivered to each dataset: per order id, a 64-bit hash of the order as it was sent and
/// acknowledged, and its line count. A pipeline skips an order whose hash is unchanged, so a re-exported file, a
/// lookback window or a replayed topic sends only what changed. Entries are written only after Affinsy acknowledged
/// the order; look-ups are batched per source batch, so the ledger is never held in memory.
/// </summary>
public interface IOrderLedger
{
    /// <summary>
    /// The recorded hash of each of <paramref name="orderIds"/> that the ledger knows, by order id (ids it does not
    /// know are absent). One round trip to the store.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> FindAsync(string pipeline, string datasetId, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken);

    /// <summary>Records (inserts or replaces) acknowledged orders, in one transaction.</summary>
    Task RecordAsync(string pipeline, string datasetId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken);

    /// <summary>How many orders and line items the ledger says the pipeline delivered to the dataset.</summary>
    Task<LedgerTotals> TotalsAsync(string pipeline, string datasetId, CancellationToken cancellationToken);

    /// <summary>Forgets everything the pipeline delivered, to every dataset (a full refresh, a state reset).</summary>
    Task ClearAsync(string pipeline, CancellationToken cancellationToken);
}

/// <summary>One acknowledged order.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="Hash">The hash of the normalized order as sent.</param>
/// <param name="LineItems">How many rows (distinct products) it holds in the dataset.</param>
public readonly record struct LedgerEntry(string OrderId, long Hash, int LineItems);

/// <summary>What a ledger holds for one pipeline and dataset.</summary>
/// <param name="Orders">Orders recorded.</param>
/// <param name="LineItems">Their line items: rows the dataset must hold at least, unless something deleted them.</param>
public readonly record struct LedgerTotals(long Orders, long LineItems);
