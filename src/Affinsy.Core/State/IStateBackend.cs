namespace Affinsy.Core.State;

/// <summary>
/// Everything a worker keeps between runs, in one place: a SQLite file on one machine, or PostgreSQL
/// shared by a fleet of workers.
/// </summary>
public interface IStateBackend : IAsyncDisposable
{
    /// <summary>Each pipeline's last safe checkpoint.</summary>
    ICheckpointStore Checkpoints { get; }

    /// <summary>What could not be sent, with its reason.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>Runs and reports.</summary>
    IRunHistory History { get; }

    /// <summary>One sync per pipeline across every process sharing the store.</summary>
    IPipelineLeases Leases { get; }

    /// <summary>What each pipeline delivered, so unchanged orders are not sent again.</summary>
    IOrderLedger Ledger { get; }

    /// <summary>Orders sent since each pipeline's reports last ran (<c>reports_after</c>).</summary>
    IReportCounters ReportCounters { get; }

    /// <summary>The letters a replay of a dead-letter queue sent, so a later replay skips a further copy of one.</summary>
    IReplayedLetters ReplayedLetters { get; }

    /// <summary>Where the state lives, for messages (a path, or a host and database; never a password).</summary>
    string Description { get; }

    /// <summary>Round-trips to the store; throws when it cannot be reached (for readiness checks).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
