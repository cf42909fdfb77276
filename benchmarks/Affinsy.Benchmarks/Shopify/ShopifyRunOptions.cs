namespace Affinsy.Benchmarks;

/// <summary>The <c>shopify</c> benchmark's options (see <see cref="ShopifyCommand"/>), checked before anything starts.</summary>
internal sealed record ShopifyRunOptions(
    int Orders,
    string Mode,
    bool Throttle,
    string Stage,
    bool SeparateFixtures,
    string? TempDirectory,
    bool BlockingHeapGc,
    bool WarmFixtures)
{
    public static ShopifyRunOptions Parse(BenchmarkArgs options)
    {
        // The connector's own `mode:` values; anything else reads in bulk, as before.
        var mode = (options.String("mode") ?? "bulk") switch
        {
            "graphql" => "graphql",
            "rest" => "rest",
            _ => "bulk",
        };
        var stage = options.String("stage") ?? "sync";
        var separate = (options.String("fixtures") ?? "inline") == "process";
        if (separate && stage == "download")
        {
            throw new ArgumentException("--stage download needs --fixtures inline");
        }

        // Warming inline fixtures would warm the connector's own process too: only the separate fixture process may be.
        var warm = (options.String("warm-fixtures") ?? "no") == "yes";
        if (warm && !separate)
        {
            throw new ArgumentException("--warm-fixtures yes needs --fixtures process");
        }

        return new ShopifyRunOptions(
            (int)options.Long("orders", 10_000),
            mode,
            (options.String("throttle") ?? "shopify") == "shopify",
            stage,
            separate,
            options.String("temp-dir"),
            options.String("heap-gc") == "blocking",
            warm);
    }
}
