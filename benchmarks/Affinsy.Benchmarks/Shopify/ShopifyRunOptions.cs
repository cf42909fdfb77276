using Affinsy.Connectors.Shopify;

namespace Affinsy.Benchmarks;

/// <summary>The <c>shopify</c> benchmark's options (see <see cref="ShopifyCommand"/>), checked before anything starts.</summary>
internal sealed record ShopifyRunOptions(
    int Orders,
    ShopifyReadMode Mode,
    bool Throttle,
    string Stage,
    bool SeparateFixtures,
    string? TempDirectory,
    bool BlockingHeapGc)
{
    public static ShopifyRunOptions Parse(BenchmarkArgs options)
    {
        var mode = (options.String("mode") ?? "bulk") switch
        {
            "graphql" => ShopifyReadMode.GraphQL,
            "rest" => ShopifyReadMode.Rest,
            _ => ShopifyReadMode.Bulk,
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
