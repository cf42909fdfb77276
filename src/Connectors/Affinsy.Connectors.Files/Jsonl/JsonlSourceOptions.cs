using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Sources.Jsonl;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>A <c>type: jsonl</c> source, bound from YAML.</summary>
internal sealed record JsonlSourceOptions
{
    /// <summary>Full path of the file; <c>.gz</c> is decompressed.</summary>
    public required string Path { get; init; }

    /// <summary>Orders per batch, at most (default 2,000).</summary>
    public int BatchMaxOrders { get; init; } = 2_000;

    /// <summary>Line items per batch before it is cut (default 10,000).</summary>
    public int BatchMaxLineItems { get; init; } = 10_000;

    /// <summary>The file's encoding (default UTF-8); a byte order mark in the file wins.</summary>
    public FileEncoding Encoding { get; init; } = FileEncoding.Utf8;

    /// <summary>Record and quoted-field size limits.</summary>
    public ReaderLimits Limits { get; init; } = ReaderLimits.Default;

    /// <summary>The JSON names read (default: Affinsy's own).</summary>
    public JsonlFields Fields { get; init; } = JsonlFields.Default;

    /// <summary>Refuse a line holding a field that is not read (default false: such fields are ignored).</summary>
    public bool Strict { get; init; }
}
