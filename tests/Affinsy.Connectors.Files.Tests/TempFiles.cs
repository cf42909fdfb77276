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

    public string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>What Affinsy holds after the batches are sent in order: an upsert per (order_id, product_name).</summary>
    public static SortedDictionary<string, string> Stored(IEnumerable<NormalizedBatch> batches)
    {
        var store = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var order in batches.SelectMany(b => b.Orders))
        {
            foreach (var line in order.LineItems)
            {
                store[$"{order.OrderId}|{line.ProductName}"] = $"{line.UnitPrice}x{line.Quantity}|{order.CustomerId}|{order.OrderDate:O}";
            }
        }

        return store;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>Every batch the source yields, normalized as the pipeline normalizes them.</summary>
    public static async Task<List<NormalizedBatch>> ReadAllAsync(IOrderSource source, Checkpoint? from = null)
    {
        var batches = new List<NormalizedBatch>();
        await foreach (var batch in source.ReadAsync(from, TestContext.Current.CancellationToken))
        {
            batches.Add(batch.Normalize());
        }

        return batches;
    }
}
