namespace Affinsy.Core.State;

/// <summary>
/// The identities of the letters a replay of a dead-letter queue sent and Affinsy acknowledged, per pipeline (a Kafka
/// <c>affinsy.dead_letter_id</c>), kept in the state store so that every later replay, on any worker sharing the
/// store, skips a further copy of one (a dead letter produced again after a crash before its source offset was
/// committed). A letter that still fails is not recorded: its copy sent back with the new reason is replayed after the
/// next fix. Rows are tiny and only replayed letters add one; they go with the pipeline's other state.
/// </summary>
public interface IReplayedLetters
{
    /// <summary>Which of <paramref name="ids"/> were recorded as replayed for <paramref name="pipeline"/>.</summary>
    Task<IReadOnlySet<string>> WhichReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="ids"/> as replayed at <paramref name="at"/>, durable when the task completes; an id already
    /// recorded keeps its first time. Call it before the queue forgets the letters (Kafka: before committing past them).
    /// </summary>
    Task RecordReplayedAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken);
}
