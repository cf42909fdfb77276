namespace Affinsy.Sink.Pipelines;

/// <summary>How a sync ended.</summary>
public enum SyncOutcome
{
    /// <summary>The source was read to its end and every order acknowledged or dead-lettered.</summary>
    Completed,

    /// <summary>Stopped by an error (<see cref="SyncResult.Error"/>); the checkpoint is at the last fully acknowledged batch.</summary>
    Failed,

    /// <summary>Stopped by cancellation; the checkpoint is at the last fully acknowledged batch.</summary>
    Cancelled,
}
