using Affinsy.Core.Sources;

namespace Affinsy.Sink.Pipelines;

/// <summary>What one sync of one pipeline did.</summary>
public sealed record SyncResult
{
    public required string Pipeline { get; init; }

    public required string DatasetId { get; init; }

    public required SyncOutcome Outcome { get; init; }

    /// <summary>Why the sync failed, in words a user can act on; null unless <see cref="SyncOutcome.Failed"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The exception behind <see cref="Error"/>, for logs.</summary>
    public Exception? Exception { get; init; }

    public long OrdersRead { get; init; }

    public long LineItemsRead { get; init; }

    /// <summary>Orders read but not sent: the order ledger says the dataset holds them exactly as they are.</summary>
    public long OrdersUnchanged { get; init; }

    /// <summary>The line items of <see cref="OrdersUnchanged"/>.</summary>
    public long LineItemsUnchanged { get; init; }

    /// <summary>Records the source refused (they are in the dead-letter store).</summary>
    public long OrdersRefused { get; init; }

    /// <summary>Orders Affinsy refused as invalid (400) or that cannot fit one request; in the dead-letter store.</summary>
    public long OrdersDeadLettered { get; init; }

    /// <summary>Every dead letter of the sync: <see cref="OrdersRefused"/> plus <see cref="OrdersDeadLettered"/>.</summary>
    public long DeadLetteredTotal => OrdersRefused + OrdersDeadLettered;

    /// <summary>Orders the source or normalization left out by design (cancelled, test...), by reason; not dead letters.</summary>
    public SkipCounts Skipped { get; init; } = new();

    /// <summary>Orders acknowledged by Affinsy.</summary>
    public long OrdersSent { get; init; }

    public long LineItemsSent { get; init; }

    /// <summary>Ingest HTTP exchanges, retries included.</summary>
    public long Requests { get; init; }

    public long Retries { get; init; }

    /// <summary>429 answers seen (the sender paces itself, so other clients of the same user cause these).</summary>
    public long Throttled { get; init; }

    /// <summary>5xx answers seen, 504 included.</summary>
    public long ServerErrors { get; init; }

    /// <summary>Timeouts and dropped connections.</summary>
    public long TransportFailures { get; init; }

    /// <summary>Requests Affinsy answered with its own 504 (applied, per its API) and that were not sent again.</summary>
    public long AppliedUnanswered { get; init; }

    /// <summary>Line items of <see cref="AppliedUnanswered"/>: in <see cref="LineItemsSent"/>, in no inserted or updated count.</summary>
    public long LineItemsAppliedUnanswered { get; init; }

    public long Inserted { get; init; }

    public long Updated { get; init; }

    /// <summary>Line-item rows the plan's row cap kept out.</summary>
    public long Rejected { get; init; }

    /// <summary>Distinct warnings the API gave (plan caps).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The checkpoint persisted last during this sync; null when none moved.</summary>
    public Checkpoint? Checkpoint { get; init; }

    public TimeSpan Elapsed { get; init; }
}
