using System.IO.Compression;
using Affinsy.Samples.StoreGenerator;

GeneratorOptions options;
try
{
    options = GeneratorOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(GeneratorOptions.Usage);
    return 2;
}

var invoices = StoreSimulation.Run(options.Seed, options.Customers);
var csv = RetailCsvWriter.Write(invoices);

if (options.OutputPath is { } path)
{
    var directory = Path.GetDirectoryName(Path.GetFullPath(path));
    if (directory is not null)
    {
        Directory.CreateDirectory(directory);
    }

    // GZipStream writes no file name and a zero timestamp, so the file depends on the data alone.
    await using (var file = File.Create(path))
    await using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
    {
        await gzip.WriteAsync(csv);
    }

    Console.WriteLine($"wrote {path}: {new FileInfo(path).Length:N0} bytes gzip, {csv.Length:N0} bytes CSV");
}

if (options.Stats)
{
    return StoreStats.Print(invoices, csv, options) ? 0 : 1;
}

return 0;
