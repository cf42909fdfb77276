namespace Affinsy.Reference.Mining;

/// <summary>
/// Reads basket files for tests and benchmarks: one basket per line, items separated by a character
/// (space for the FIMI format, comma for simple CSV). Blank separators are skipped; a blank line is an empty basket
/// except at the very end of the file.
/// </summary>
internal static class BasketFileReader
{
    public static BasketSet Read(TextReader reader, char separator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var builder = new BasketSetBuilder();
        var lines = 0;
        while (reader.ReadLine() is { } line)
        {
            if ((++lines & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            foreach (var range in line.AsSpan().Split(separator))
            {
                var item = line.AsSpan(range).Trim();
                if (!item.IsEmpty)
                {
                    builder.AddItem(item);
                }
            }

            builder.EndBasket();
        }

        return builder.Build();
    }

    /// <summary>Reads a UTF-8 file; with an ASCII separator from its bytes (<see cref="BasketBytesReader"/>), which gives the same baskets faster.</summary>
    public static BasketSet ReadFile(string path, char separator, CancellationToken ct)
    {
        if (BasketBytesReader.IsByteSeparator(separator))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return BasketBytesReader.Read(stream, separator, ct);
        }

        using var reader = new StreamReader(path);
        return Read(reader, separator, ct);
    }
}
