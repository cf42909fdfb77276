using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Sink.Replay;

/// <summary>
/// The checkpoint store a replay runs with: each replayed letter's batch carries its index as the checkpoint, so the
/// highest saved one says which letters were fully acknowledged (the pipeline saves checkpoints in order, only past
/// acknowledged batches). The pipeline's real checkpoint never moves; only a reset (the order ledger found the
/// dataset emptied) goes through to it, as a sync would do.
/// </summary>
internal sealed class ReplayCheckpoints(ICheckpointStore real) : ICheckpointStore
{
    private int _acknowledged = -1;

    /// <summary>The index of the last letter whose batch, and every one before it, was acknowledged; -1 when none.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public static Checkpoint For(int index) => new(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => Task.FromResult<Checkpoint?>(null);

    public Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var index = int.Parse(checkpoint.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (index > _acknowledged)
        {
            Volatile.Write(ref _acknowledged, index);
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => real.ResetAsync(pipeline, cancellationToken);

    public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => real.ListAsync(cancellationToken);
}
