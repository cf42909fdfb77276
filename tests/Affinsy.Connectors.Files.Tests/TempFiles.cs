using System.IO.Compression;
using System.Text;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>A temporary directory for one test class instance, with helpers to write and read sources.</summary>
public sealed class TempFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("affinsy-files-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }
        else
        {
            File.WriteAllText(path, content);
        }

        return path;
    }

    /// <summary>Appends text; for .gz a new gzip member, which readers treat as a continuation.</summary>
    public void Append(string path, string content)
    {
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = new FileStream(path, FileMode.Append);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }
        else
        {
            File.AppendAllText(path, content);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public static async Task<List<OrderBatch>> ReadAllAsync(IOrderSource source, Checkpoint? from = null)
    {
        var batches = new List<OrderBatch>();
        await foreach (var batch in source.ReadAsync(from, TestContext.Current.CancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
