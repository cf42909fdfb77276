namespace Affinsy.Core.State;

/// <summary>
/// Forgets what a pipeline delivered, so its next sync reads its source from the beginning and sends every order again:
/// a full refresh, a state reset, a dataset deleted or shrunk behind the ledger's back. One place, because the order of
/// the two writes matters.
/// </summary>
public static class DeliveredState
{
    /// <summary>
    /// Resets the pipeline's checkpoint, then clears its order ledger. In that order: were the process to stop between
    /// the two, the next sync reads from the beginning and the ledger, still whole, is checked against the dataset again
    /// before it is trusted; the other order could leave an empty ledger beside an old checkpoint, which no check
    /// notices, and the orders before that checkpoint would never be sent again.
    /// </summary>
    public static async Task ForgetAsync(ICheckpointStore checkpoints, IOrderLedger ledger, string pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(ledger);
        await checkpoints.ResetAsync(pipeline, cancellationToken);
        await ledger.ClearAsync(pipeline, cancellationToken);
    }
}
