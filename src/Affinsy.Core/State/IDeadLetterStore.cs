namespace Affinsy.Core.State;

/// <summary>
/// Where records that cannot be sent go, with their reason, so nothing is ever dropped silently. A store keeps one
/// letter per <see cref="DeadLetterIdentity"/>: writing a refusal it already holds changes nothing.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>Appends one dead letter for the pipeline; durable when the task completes.</summary>
    Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken);

    /// <summary>
    /// Appends several dead letters, durable when the task completes. Stores that can should override
    /// this to flush once for the whole list.
    /// </summary>
    async Task WriteManyAsync(string pipeline, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        foreach (var letter in letters)
        {
            await WriteAsync(pipeline, letter, cancellationToken);
        }
    }

    /// <summary>Where the pipeline's dead letters can be read, for messages (a file path, a table).</summary>
    string LocationOf(string pipeline) => "the dead-letter store";

    /// <summary>How many dead letters the pipeline has.</summary>
    Task<long> CountAsync(string pipeline, CancellationToken cancellationToken);

    /// <summary>The pipeline's dead letters with their ids, oldest first (resolved ones included).</summary>
    /// <exception cref="NotSupportedException">The store cannot be read back.</exception>
    IAsyncEnumerable<StoredDeadLetter> ListAsync(string pipeline, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This dead-letter store cannot be read back.");

    /// <summary>The dead letter with <paramref name="id"/> in any pipeline, or null.</summary>
    /// <exception cref="NotSupportedException">The store cannot be read back.</exception>
    Task<StoredDeadLetter?> FindAsync(string id, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This dead-letter store cannot be read back.");

    /// <summary>
    /// Marks the pipeline's letters with these ids resolved at <paramref name="at"/> (a replay sent them, or wrote
    /// what supersedes them); returns how many were unresolved. Idempotent: a letter already resolved keeps its time,
    /// an unknown id changes nothing. Resolved letters stay (<c>list --all</c>) until purged.
    /// </summary>
    /// <exception cref="NotSupportedException">The store cannot mark letters.</exception>
    Task<long> ResolveAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This dead-letter store cannot mark letters resolved.");

    /// <summary>Deletes the pipeline's dead letters written before <paramref name="before"/> (all when null); returns how many.</summary>
    /// <exception cref="NotSupportedException">The store cannot delete.</exception>
    Task<long> PurgeAsync(string pipeline, DateTimeOffset? before, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This dead-letter store cannot purge.");
}

/// <summary>A dead letter as a store holds it.</summary>
/// <param name="Id">Its identity (<see cref="DeadLetterIdentity.Of"/>), 16 hex digits.</param>
/// <param name="Pipeline">The pipeline that refused it.</param>
/// <param name="Letter">The letter.</param>
/// <param name="ResolvedAt">When a replay sent it after all; null while it still needs a person.</param>
public sealed record StoredDeadLetter(string Id, string Pipeline, DeadLetter Letter, DateTimeOffset? ResolvedAt = null);

/// <summary>One record that could not be sent.</summary>
/// <param name="Reason">What is wrong, in words a user can act on.</param>
/// <param name="Position">Where it came from in the source (line, offset, partition/offset...).</param>
/// <param name="OriginalRecord">The record as read from the source (or the order as JSON when refused by the API).</param>
/// <param name="OrderId">The order id when known.</param>
/// <param name="At">When it was dead-lettered.</param>
/// <param name="Details">The server's validation details, when the API refused it.</param>
public sealed record DeadLetter(
    string Reason,
    string Position,
    string OriginalRecord,
    string? OrderId,
    DateTimeOffset At,
    string? Details = null);
