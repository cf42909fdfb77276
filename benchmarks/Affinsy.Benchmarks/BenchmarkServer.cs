using Affinsy.Reference;
using Affinsy.Reference.Config;

namespace Affinsy.Benchmarks;

/// <summary>The reference server every connector benchmark sends to: SQLite in the given directory, no rate limit.</summary>
internal static class BenchmarkServer
{
    public static Task<ReferenceServer> StartUnthrottledAsync(string dataDirectory) =>
        ReferenceServer.StartAsync(
            new ReferenceServerOptions
            {
                DataDirectory = dataDirectory,
                Settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } },
                Logging = _ => { },
            },
            CancellationToken.None);
}
