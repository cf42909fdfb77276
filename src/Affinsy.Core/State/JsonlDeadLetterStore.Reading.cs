using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Affinsy.Core.State;

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
    /// Rewrites the pipeline's file without the letters written before <paramref name="before"/> (all when null): the
    /// kept lines go to a temporary file that then replaces the original, so a crash leaves one or the other whole.
    /// Run it while no sync of the pipeline writes (the pipeline's lease): an append in between would be lost.
    /// </summary>
    public async Task<long> PurgeAsync(string pipeline, DateTimeOffset? before, CancellationToken cancellationToken)
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

            long purged = 0;
            var temporary = path + ".purge";
            await using (var output = new StreamWriter(temporary, append: false))
            {
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (Parse(line) is not { } record)
                    {
                        continue;
                    }

                    if (before is null || record.At < before)
                    {
                        purged++;
                        continue;
                    }

                    await output.WriteAsync(line.AsMemory(), cancellationToken);
                    await output.WriteAsync("\n".AsMemory(), cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
                ((FileStream)output.BaseStream).Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return purged;
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
