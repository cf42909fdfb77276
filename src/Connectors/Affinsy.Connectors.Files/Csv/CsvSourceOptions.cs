using Affinsy.Connectors.Files.Reading;

namespace Affinsy.Connectors.Files.Csv;

/// <summary>A <c>type: csv</c> source, bound from YAML (see the project README for every key).</summary>
internal sealed record CsvSourceOptions
{
    /// <summary>Full path of the file; <c>.gz</c> is decompressed.</summary>
    public required string Path { get; init; }

    /// <summary>Field delimiter (default comma).</summary>
    public byte Delimiter { get; init; } = (byte)',';

    /// <summary>Column names by field.</summary>
    public CsvColumns Columns { get; init; } = new();

    /// <summary>A .NET custom date format (<c>M/d/yyyy H:mm</c>); null: ISO 8601. No offset in the value means UTC.</summary>
    public string? DateFormat { get; init; }

    /// <summary>The retail preset's rules: cancelled invoices (C prefix) and non-positive quantities are refused.</summary>
    public bool RetailRules { get; init; }

    /// <summary>Currency for every order when the file has no currency column.</summary>
    public string? Currency { get; init; }

    /// <summary>Orders per batch, at most (default 2,000).</summary>
    public int BatchMaxOrders { get; init; } = 2_000;

    /// <summary>Line items per batch before it is cut at the next order boundary (default 10,000).</summary>
    public int BatchMaxLineItems { get; init; } = 10_000;

    /// <summary>The file's encoding (default UTF-8); a byte order mark in the file wins.</summary>
    public FileEncoding Encoding { get; init; } = FileEncoding.Utf8;

    /// <summary>Record and quoted-field size limits.</summary>
    public ReaderLimits Limits { get; init; } = ReaderLimits.Default;
}
