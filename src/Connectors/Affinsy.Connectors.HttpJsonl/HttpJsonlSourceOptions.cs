using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.HttpJsonl;

/// <summary>A <c>type: http-jsonl</c> source, bound from YAML.</summary>
internal sealed record HttpJsonlSourceOptions
{
    /// <summary>The first page, <c>page_size</c> already in its query.</summary>
    public required Uri FirstPage { get; init; }

    /// <summary>Request headers (values may be secrets: never logged or shown).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads one line into a draft: the <c>jsonl</c> source's line format with this pipeline's <c>fields:</c>.</summary>
    public required IOrderMessageDecoder Lines { get; init; }

    /// <summary>Orders per batch, at most (default 2,000); a batch never spans two pages.</summary>
    public int BatchMaxOrders { get; init; } = 2_000;

    /// <summary>A longer line is refused with its first 4 KiB (default 8 MiB).</summary>
    public int MaxLineBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long one request may take to answer with its headers (default 60 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per page for 408, 429, 5xx and dropped connections (default 8).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>First back-off without a <c>Retry-After</c> (default 2 s), doubling per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts, <c>Retry-After</c> included (default 120 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(120);
}
