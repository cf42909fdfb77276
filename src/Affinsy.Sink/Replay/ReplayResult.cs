using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Sink.Replay;

/// <summary>What became of one letter in a replay.</summary>
public enum LetterFate
{
    /// <summary>It passes now: sent and acknowledged (or left out as unchanged, or skipped by design); resolved.</summary>
    Passed,

    /// <summary>It still fails: with its old reason it stays as it is; with a new one the new letter supersedes it.</summary>
    StillFailing,

    /// <summary>Its record cannot be read again (see <see cref="LetterReplay.Why"/>); it stays.</summary>
    NotReplayable,

    /// <summary>The replay stopped before it was acknowledged (a failure, a cancellation); it stays.</summary>
    NotFinished,
}

/// <summary>One letter's replay.</summary>
/// <param name="Letter">The letter as stored.</param>
/// <param name="Fate">What became of it.</param>
/// <param name="Why">The new reasons when it still fails, why it cannot be replayed, or why the replay stopped; else what passes.</param>
/// <param name="Orders">Orders the record now yields for sending.</param>
/// <param name="LineItems">Their line items.</param>
public sealed record LetterReplay(StoredDeadLetter Letter, LetterFate Fate, IReadOnlyList<string> Why, int Orders = 0, int LineItems = 0)
{
    /// <summary>True when the old letter was resolved (it passed, or a letter with a new reason supersedes it).</summary>
    public bool Resolved { get; init; }
}

/// <summary>A replay's letters and its syncs' totals.</summary>
public sealed record ReplayResult(IReadOnlyList<LetterReplay> Letters, bool DryRun)
{
    /// <summary>Orders and line items Affinsy acknowledged (zero on a dry run).</summary>
    public long OrdersSent { get; init; }

    /// <summary>Line items Affinsy acknowledged.</summary>
    public long LineItemsSent { get; init; }

    /// <summary>Why a sync of the replay failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>How the replay's sync ended, when one ran.</summary>
    public SyncOutcome? Outcome { get; init; }

    /// <summary>The replay of the letters the source keeps outside the store (a Kafka dead-letter topic); null when it has none.</summary>
    public QueueReplayResult? Queue { get; init; }

    /// <summary>Letters that now pass.</summary>
    public int Passed => Letters.Count(l => l.Fate == LetterFate.Passed);

    /// <summary>True when every letter passed (or there were none).</summary>
    public bool AllPassed => Error is null && Letters.All(l => l.Fate == LetterFate.Passed) && Queue is not { AllPassed: false };
}
