namespace Affinsy.Core.State;

/// <summary>
/// How a <see cref="RunOutcome"/> is spelled in a state store: lower-case words, so the stored history reads well in
/// a database shell and does not depend on the enum's numbering.
/// </summary>
public static class RunOutcomeText
{
    /// <summary>The stored spelling of <paramref name="outcome"/>.</summary>
    public static string Of(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "running",
        RunOutcome.Completed => "completed",
        RunOutcome.Failed => "failed",
        RunOutcome.Cancelled => "cancelled",
        RunOutcome.Abandoned => "abandoned",
        RunOutcome.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a run outcome."),
    };

    /// <summary>The outcome a stored spelling names.</summary>
    /// <exception cref="InvalidDataException">The store holds a word this version does not know.</exception>
    public static RunOutcome Parse(string text) => text switch
    {
        "running" => RunOutcome.Running,
        "completed" => RunOutcome.Completed,
        "failed" => RunOutcome.Failed,
        "cancelled" => RunOutcome.Cancelled,
        "abandoned" => RunOutcome.Abandoned,
        "interrupted" => RunOutcome.Interrupted,
        _ => throw new InvalidDataException($"The run history holds the outcome '{text}', which this version of affinsy-connect does not know; upgrade it to read this history."),
    };
}
