namespace Affinsy.Core.Sources;

/// <summary>One thing <c>check</c> verified about a source or Affinsy, and what to do when it failed.</summary>
/// <param name="Name">What was checked ("credentials", "first page", "topic").</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was found, or what is wrong and what to do about it.</param>
public sealed record CheckFinding(string Name, bool Passed, string Detail);

/// <summary>
/// The default check of a source: read its first batch from the beginning and stop. A finite source can do that
/// without side effects, so it proves the same path a sync takes (credentials, permissions, the first page, the
/// file and its format). A source where reading has effects (a Shopify bulk export starts an operation) or never
/// ends (a stream waits for messages) overrides <see cref="ICheckableSource.CheckAsync"/>.
/// </summary>
public static class SourceCheck
{
    /// <summary>Checks <paramref name="source"/>: its own checks when it has them, else its first batch.</summary>
    public static async Task<IReadOnlyList<CheckFinding>> RunAsync(IOrderSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is ICheckableSource checkable)
        {
            return await checkable.CheckAsync(cancellationToken);
        }

        await foreach (var batch in source.ReadAsync(null, cancellationToken))
        {
            var refused = batch.Refusals.Count;
            return [new CheckFinding("first batch", true, refused == 0
                ? $"read {batch.Drafts.Count} orders"
                : $"read {batch.Drafts.Count} orders; {refused} records in it would be dead-lettered (see their reasons after a sync)")];
        }

        return [new CheckFinding("first batch", true, "reachable, but there is nothing to read yet")];
    }
}

/// <summary>A source that checks itself without reading as a sync would (see <see cref="SourceCheck"/>).</summary>
public interface ICheckableSource
{
    /// <summary>Reaches the source and reports each thing verified; throws what a sync would throw when it cannot.</summary>
    Task<IReadOnlyList<CheckFinding>> CheckAsync(CancellationToken cancellationToken);
}
