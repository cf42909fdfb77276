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
}
