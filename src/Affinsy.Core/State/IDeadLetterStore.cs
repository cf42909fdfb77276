namespace Affinsy.Core.State;

/// <summary>
/// Where records that cannot be sent go, with their reason, so nothing is ever dropped silently.
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
}

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
