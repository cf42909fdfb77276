using Affinsy.Connectors.Shopify.Mapping;

namespace Affinsy.Connectors.Shopify;

/// <summary>A <c>type: shopify</c> source, bound from YAML.</summary>
internal sealed record ShopifySourceOptions
{
    /// <summary>The shop's permanent domain, <c>name.myshopify.com</c>.</summary>
    public required string Shop { get; init; }

    /// <summary>The Admin API access token (a secret: never logged).</summary>
    public required string AccessToken { get; init; }

    /// <summary>Admin API version, <c>YYYY-MM</c> (default 2026-10, the newest stable on 2026-12-02).</summary>
    public string ApiVersion { get; init; } = ShopifySourcePlugin.DefaultApiVersion;

    /// <summary>How orders are read.</summary>
    public ShopifyReadMode Mode { get; init; } = ShopifyReadMode.Bulk;

    /// <summary>Every incremental window starts this much before the checkpoint (default 10 minutes).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Where the Admin API lives (default https://{shop}; an emulator in tests).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Orders per GraphQL or REST page (Shopify's maximum, 250, by default).</summary>
    public int PageSize { get; init; } = 250;

    /// <summary>Line items asked for per order in GraphQL pages; an order with more is refused with a hint to use bulk.</summary>
    public int LineItemsPerOrder { get; init; } = 100;

    /// <summary>The first sync reads orders updated on or after this instant (null: the whole history).</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>
    /// <c>groupObjects</c> sent with the bulk query (default false, Shopify's default from 2026-01 and its advice for speed
    /// and reliability); the reader reassembles orders either way.
    /// </summary>
    public bool GroupObjects { get; init; }

    /// <summary>
    /// Where a bulk result is reassembled on disk (<c>temp_dir</c>; null: the system temporary directory, <c>TMPDIR</c>).
    /// It needs a little more than the result's size while an export is read: <see cref="Reading.SpillDirectory.SizeHint"/>
    /// (2,348 MB per million orders of the emulator's shape, measured).
    /// </summary>
    public string? TempDirectory { get; init; }

    /// <summary>How orders map to Affinsy rows.</summary>
    public ShopifyMappingOptions Mapping { get; init; } = new();
}

/// <summary><c>mode</c>: which Shopify API reads the orders.</summary>
internal enum ShopifyReadMode
{
    /// <summary>A bulk operation for the first (full) sync, GraphQL incremental reads after it. The default.</summary>
    Bulk,

    /// <summary>GraphQL paging for every sync, including the first.</summary>
    GraphQL,

    /// <summary>The legacy REST Admin API, for stores whose apps only have REST.</summary>
    Rest,
}
