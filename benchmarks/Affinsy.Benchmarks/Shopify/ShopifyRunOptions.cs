namespace Affinsy.Benchmarks;

/// <summary>The <c>shopify</c> benchmark's options (see <see cref="ShopifyCommand"/>), checked before anything starts.</summary>
internal sealed record ShopifyRunOptions(
    int Orders,
    string Mode,
    bool Throttle,
    string Stage,
    bool SeparateFixtures,
    string? TempDirectory,
    bool BlockingHeapGc)
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

        return new ShopifyRunOptions(
            (int)options.Long("orders", 10_000),
            mode,
            (options.String("throttle") ?? "shopify") == "shopify",
            stage,
            separate,
            options.String("temp-dir"),
            options.String("heap-gc") == "blocking");
    }
}
