using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Affinsy.Core.State;

/// <summary>
/// Dead letters as JSON Lines, one file per pipeline (<c>&lt;directory&gt;/&lt;pipeline&gt;.jsonl</c>):
/// <c>{"pipeline","reason","position","original_record","order_id","at","details"}</c>. Each write is
/// flushed to disk before its task completes, so an acknowledged batch never loses its refusals.
/// </summary>
public sealed class JsonlDeadLetterStore : IDeadLetterStore, IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly string _directory;
    private readonly SemaphoreSlim _gate = new(1, 1);

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

    /// <summary>Appends several dead letters with one flush to disk.</summary>
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
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
            using var buffer = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(buffer))
            {
                foreach (var letter in letters)
                {
                    writer.Reset();
                    JsonSerializer.Serialize(writer, ToRecord(pipeline, letter), DeadLetterJsonContext.Default.DeadLetterRecord);
                    writer.Flush();
                    buffer.Write(NewLine);
                }
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
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
        var path = PathFor(pipeline);
        if (!File.Exists(path))
        {
            yield break;
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var record = JsonSerializer.Deserialize(line, DeadLetterJsonContext.Default.DeadLetterRecord)!;
            yield return new DeadLetter(record.Reason, record.Position, record.OriginalRecord, record.OrderId, record.At, record.Details);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static DeadLetterRecord ToRecord(string pipeline, DeadLetter letter) =>
        new(pipeline, letter.Reason, letter.Position, letter.OriginalRecord, letter.OrderId, letter.At, letter.Details);
}
