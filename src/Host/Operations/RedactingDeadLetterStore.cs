using System.Runtime.CompilerServices;
using Affinsy.Core.State;

namespace Affinsy.Host.Operations;

/// <summary>Masks secrets in what a dead letter says (reason, details, the record itself), written or read.</summary>
internal sealed class RedactingDeadLetterStore(IDeadLetterStore inner, SecretSet secrets) : IDeadLetterStore
{
    public Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken) =>
        inner.WriteAsync(pipeline, Redact(letter), cancellationToken);

    public Task WriteManyAsync(string pipeline, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        if (secrets.IsEmpty)
        {
            return inner.WriteManyAsync(pipeline, letters, cancellationToken);
        }

        var masked = new DeadLetter[letters.Count];
        for (var i = 0; i < masked.Length; i++)
        {
            masked[i] = Redact(letters[i]);
        }

        return inner.WriteManyAsync(pipeline, masked, cancellationToken);
    }

    public string LocationOf(string pipeline) => inner.LocationOf(pipeline);

    public Task<long> CountAsync(string pipeline, CancellationToken cancellationToken) => inner.CountAsync(pipeline, cancellationToken);

    public async IAsyncEnumerable<StoredDeadLetter> ListAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var stored in inner.ListAsync(pipeline, cancellationToken))
        {
            yield return stored with { Letter = Redact(stored.Letter) };
        }
    }

    public async Task<StoredDeadLetter?> FindAsync(string id, CancellationToken cancellationToken) =>
        await inner.FindAsync(id, cancellationToken) is { } stored ? stored with { Letter = Redact(stored.Letter) } : null;

    public Task<long> ResolveAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.ResolveAsync(pipeline, ids, at, cancellationToken);

    public Task<long> PurgeAsync(string pipeline, DateTimeOffset? before, CancellationToken cancellationToken) =>
        inner.PurgeAsync(pipeline, before, cancellationToken);

    private DeadLetter Redact(DeadLetter letter) => secrets.IsEmpty ? letter : letter with
    {
        Reason = secrets.Redact(letter.Reason),
        Details = letter.Details is null ? null : secrets.Redact(letter.Details),
        OriginalRecord = secrets.Redact(letter.OriginalRecord),
    };
}
