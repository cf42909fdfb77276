using System.Runtime.CompilerServices;
using System.Text.Json;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Dead letters as JSON Lines, one file per pipeline (<c>&lt;directory&gt;/&lt;pipeline&gt;.jsonl</c>):
/// <c>{"pipeline","reason","position","original_record","order_id","at","details","id","resolved_at"}</c> (<c>resolved_at</c> once a replay resolved it). Each write is
/// flushed to disk before its task completes, so an acknowledged batch never loses its refusals.
/// <para>
/// One line per <see cref="DeadLetterIdentity"/>: the first write to a pipeline's file reads it once and keeps the
/// 64-bit identity hash of every line (8 bytes a letter plus the set's overhead, about 24 MB for a million letters; the
/// records themselves are never kept), and a letter whose hash is there is not written again. Before each write the
/// store reads only what other processes appended since its last look (the file length it knows), and starts over
/// when the file shrank (a purge elsewhere), so two processes sharing the directory still write each refusal once.
/// </para>
/// </summary>
public sealed partial class JsonlDeadLetterStore : IDeadLetterStore, IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly string _directory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SeenLetters> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates a store writing under <paramref name="directory"/> (created on first write).</summary>
    public JsonlDeadLetterStore(string directory) => _directory = Path.GetFullPath(directory);

    /// <inheritdoc />
    public string LocationOf(string pipeline) => PathFor(pipeline);

    /// <summary>The file a pipeline's dead letters go to.</summary>
    public string PathFor(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);

        // Pipeline names are validated by the configuration; this guards other callers against escaping the directory.
        if (pipeline is "." or ".." || pipeline.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || pipeline.Contains('/', StringComparison.Ordinal) || pipeline.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{pipeline}' cannot name a dead-letter file.", nameof(pipeline));
        }

        return Path.Combine(_directory, pipeline + ".jsonl");
    }

    /// <inheritdoc />
    public Task WriteAsync(string pipeline, DeadLetter letter, CancellationToken cancellationToken) =>
        WriteManyAsync(pipeline, [letter], cancellationToken);

    /// <summary>Appends the letters this file does not hold yet, with one flush to disk.</summary>
    public async Task WriteManyAsync(string pipeline, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        if (letters.Count == 0)
        {
            return;
        }

        var path = PathFor(pipeline);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(_directory);
            var seen = await CatchUpAsync(pipeline, path, cancellationToken);
            using var buffer = new MemoryStream();
            if (!seen.EndsWithNewLine)
            {
                // A crash cut the last line short: end it, so the next record starts a line of its own.
                buffer.Write(NewLine);
            }

            WriteNew(buffer, pipeline, letters, seen);
            if (buffer.Length > 0)
            {
                await AppendAsync(path, buffer, seen, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serializes, one line each, the letters whose identity is not in <paramref name="seen"/> (and adds it).</summary>
    private static void WriteNew(MemoryStream buffer, string pipeline, IReadOnlyList<DeadLetter> letters, SeenLetters seen)
    {
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var letter in letters)
        {
            var hash = DeadLetterIdentity.Hash(pipeline, letter);
            if (!seen.Ids.Add(hash))
            {
                continue;
            }

            writer.Reset();
            JsonSerializer.Serialize(writer, ToRecord(pipeline, letter, hash), DeadLetterJsonContext.Default.DeadLetterRecord);
            writer.Flush();
            buffer.Write(NewLine);
        }
    }

    /// <summary>Appends the buffer to the file and flushes it to disk before returning.</summary>
    private static async Task AppendAsync(string path, MemoryStream buffer, SeenLetters seen, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        var before = stream.Position;
        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);

        // Only when nobody appended since the catch-up is everything up to here known; else the next write re-reads it.
        if (before == seen.Length)
        {
            seen.Length = stream.Position;
            seen.EndsWithNewLine = true;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string pipeline, CancellationToken cancellationToken)
    {
        var path = PathFor(pipeline);
        if (!File.Exists(path))
        {
            return 0;
        }

        long count = 0;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Reads a pipeline's dead letters back, oldest first (for <c>state show</c> and replays).</summary>
    public async IAsyncEnumerable<DeadLetter> ReadAsync(string pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in RecordsAsync(pipeline, cancellationToken))
        {
            yield return Letter(record);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static DeadLetterRecord ToRecord(string pipeline, DeadLetter letter, ulong hash) =>
        new(pipeline, letter.Reason, letter.Position, letter.OriginalRecord, letter.OrderId, letter.At, letter.Details, DeadLetterIdentity.Format(hash));
}
