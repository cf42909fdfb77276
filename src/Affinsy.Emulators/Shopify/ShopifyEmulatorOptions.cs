namespace Affinsy.Emulators.Shopify;

/// <summary>How the emulated shop behaves.</summary>
public sealed record ShopifyEmulatorOptions
{
    /// <summary>Where to listen; the default, port 0, takes any free loopback port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>The store to serve; null: <see cref="Orders"/> orders from <see cref="ShopifySeed"/>.</summary>
    public IReadOnlyList<EmulatedOrder>? Store { get; init; }

    /// <summary>Logging for the emulator's web host (null: none).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? Logging { get; init; }

    /// <summary>Seeded orders.</summary>
    public int Orders { get; init; } = 100;

    public int Seed { get; init; } = 7;

    public string AccessToken { get; init; } = "shpat_emulator";

    /// <summary>The shop's name, answered to <c>shop { name }</c>.</summary>
    public string ShopName { get; init; } = "Emulated Store";

    /// <summary>
    /// The access scopes granted to the app (<c>currentAppInstallation { accessScopes }</c>). Without <c>read_orders</c>
    /// orders queries and bulk exports are denied (ACCESS_DENIED) and REST orders answer 403, as Shopify does.
    /// </summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["read_orders", "read_all_orders", "read_products"];

    /// <summary>Bulk query operations that may run at once for versions from 2026-01 (one before).</summary>
    public int ConcurrentBulkQueries { get; init; } = 5;

    /// <summary>
    /// From 2026-01, another bulk query of the same app started just after each orders export (see <see cref="ForeignBulk"/>),
    /// so that <c>currentBulkOperation</c> names it; <see cref="ForeignBulk.None"/> (the default): none.
    /// </summary>
    public ForeignBulk ForeignBulkAfterOurs { get; init; } = ForeignBulk.None;

    /// <summary>False: no cost or call limits at all.</summary>
    public bool Throttle { get; init; } = true;

    /// <summary>GraphQL cost bucket size and restore rate per second.</summary>
    public double CostBucket { get; init; } = 2_000;

    public double CostRestorePerSecond { get; init; } = 100;

    /// <summary>REST leaky bucket size (leaks size/20 per second).</summary>
    public int CallBucket { get; init; } = 40;

    /// <summary>How long a bulk operation runs before it completes.</summary>
    public TimeSpan BulkDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Line items a GraphQL orders page returns per order at most.</summary>
    public int MaxLineItemsPerPageOrder { get; init; } = 100;
}
