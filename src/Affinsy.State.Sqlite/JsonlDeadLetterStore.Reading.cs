using System.Runtime.CompilerServices;
using System.Text.Json;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>Reading the files back: the identity index kept for writes, listing, finding by id, purging.</summary>
public sealed partial class JsonlDeadLetterStore
{
    /// <summary>The pipelines that have a dead-letter file.</summary>
    public IReadOnlyList<string> Pipelines() =>
        Directory.Exists(_directory)
            ? [.. Directory.EnumerateFiles(_directory, "*.jsonl").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)]
            : [];

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDeadLetter> ListAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in RecordsAsync(pipeline, cancellationToken))
        {
            yield return ToStored(record);
        }
    }

    /// <summary>Every readable line of a pipeline's file, oldest first; torn or foreign lines are passed over.</summary>
    private async IAsyncEnumerable<DeadLetterRecord> RecordsAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = PathFor(pipeline);
        if (!File.Exists(path))
        {
            yield break;
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (Parse(line) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <inheritdoc />
    public async Task<StoredDeadLetter?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!DeadLetterIdentity.TryParse(id, out _))
        {
            return null;
        }

        foreach (var pipeline in Pipelines())
        {
            await foreach (var stored in ListAsync(pipeline, cancellationToken))
            {
                if (string.Equals(stored.Id, id, StringComparison.OrdinalIgnoreCase))
                {
                    return stored;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Rewrites the pipeline's file without the letters written before <paramref name="before"/> (all when null).
    /// Run it while no sync of the pipeline writes (the pipeline's lease): see <see cref="RewriteAsync"/>.
    /// </summary>
    public Task<long> PurgeAsync(string pipeline, DateTimeOffset? before, CancellationToken cancellationToken) =>
        RewriteAsync(pipeline, (line, record) => before is null || record.At < before ? null : line, cancellationToken);

    /// <summary>
    /// Marks the letters with these ids resolved by rewriting the file (see <see cref="RewriteAsync"/>); a letter already
    /// resolved keeps its time. Run it holding the pipeline's lease, as <c>dead-letters replay</c> does.
    /// </summary>
    public Task<long> ResolveAsync(string pipeline, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = new HashSet<ulong>();
        foreach (var id in ids)
        {
            if (DeadLetterIdentity.TryParse(id, out var hash))
            {
                wanted.Add(hash);
            }
        }

        return wanted.Count == 0
            ? Task.FromResult(0L)
            : RewriteAsync(
                pipeline,
                (line, record) => record.ResolvedAt is null && wanted.Contains(HashOf(record))
                    ? JsonSerializer.Serialize(record with { Id = DeadLetterIdentity.Format(HashOf(record)), ResolvedAt = at }, DeadLetterJsonContext.Default.DeadLetterRecord)
                    : line,
                cancellationToken);
    }

    /// <summary>
    /// Rewrites the pipeline's file line by line: <paramref name="rewrite"/> returns the line to keep (itself or a
    /// changed one) or null to drop it; returns how many lines it dropped or changed. The kept lines go to a temporary
    /// file that then replaces the original, so a crash leaves one or the other whole. Run it while no sync of the
    /// pipeline writes (the pipeline's lease): an append in between would be lost.
    /// </summary>
    private async Task<long> RewriteAsync(string pipeline, Func<string, DeadLetterRecord, string?> rewrite, CancellationToken cancellationToken)
    {
        var path = PathFor(pipeline);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _seen.Remove(pipeline);
            if (!File.Exists(path))
            {
                return 0;
            }

            long changed = 0;
            var temporary = path + ".rewrite";
            await using (var output = new StreamWriter(temporary, append: false))
            {
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (Parse(line) is not { } record)
                    {
                        continue;
                    }

                    var kept = rewrite(line, record);
                    if (!ReferenceEquals(kept, line))
                    {
                        changed++;
                    }

                    if (kept is not null)
                    {
                        await output.WriteAsync(kept.AsMemory(), cancellationToken);
                        await output.WriteAsync("\n".AsMemory(), cancellationToken);
                    }
                }

                await output.FlushAsync(cancellationToken);
                ((FileStream)output.BaseStream).Flush(flushToDisk: true);
            }

            if (changed > 0)
            {
                File.Move(temporary, path, overwrite: true);
            }
            else
            {
                File.Delete(temporary);
            }

            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The identities of the pipeline's file, brought up to date with what was appended since the last look (the
    /// whole file the first time, or when it shrank). Called under the gate.
    /// </summary>
    private async Task<SeenLetters> CatchUpAsync(string pipeline, string path, CancellationToken cancellationToken)
    {
        if (!_seen.TryGetValue(pipeline, out var seen))
        {
            seen = new SeenLetters();
            _seen.Add(pipeline, seen);
        }

        var length = File.Exists(path) ? new FileInfo(path).Length : 0;
        if (length < seen.Length)
        {
            (seen.Length, seen.EndsWithNewLine) = (0, true);
            seen.Ids.Clear();
        }

        if (length == seen.Length)
        {
            return seen;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true);
        stream.Seek(seen.Length, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (Parse(line) is { } record)
            {
                seen.Ids.Add(HashOf(record));
            }
        }

        seen.Length = stream.Length;
        stream.Seek(-1, SeekOrigin.End);
        seen.EndsWithNewLine = stream.ReadByte() == '\n';
        return seen;
    }

    private static DeadLetterRecord? Parse(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line, DeadLetterJsonContext.Default.DeadLetterRecord);
        }
        catch (JsonException)
        {
            // A line a crash cut short holds no letter; the rest of the file still does.
            return null;
        }
    }

    private static ulong HashOf(DeadLetterRecord record) =>
        DeadLetterIdentity.TryParse(record.Id, out var hash) ? hash : DeadLetterIdentity.Hash(record.Pipeline, Letter(record));

    private static DeadLetter Letter(DeadLetterRecord record) =>
        new(record.Reason, record.Position, record.OriginalRecord, record.OrderId, record.At, record.Details);

    private static StoredDeadLetter ToStored(DeadLetterRecord record) =>
        new(DeadLetterIdentity.Format(HashOf(record)), record.Pipeline, Letter(record), record.ResolvedAt);

    /// <summary>What a pipeline's file holds, as far as this store has read it.</summary>
    private sealed class SeenLetters
    {
        public HashSet<ulong> Ids { get; } = [];

        /// <summary>How many bytes of the file were read into <see cref="Ids"/>.</summary>
        public long Length { get; set; }

        public bool EndsWithNewLine { get; set; } = true;
    }
}
