using Affinsy.Connectors.Shopify;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Emulators.Shopify;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>--warm-fixtures yes</c>: before the fixture process reports ready, a throwaway emulator (200 orders, an export
/// that completes at once) and a throwaway reference server on their own temporary files are synced end to end once in
/// that process, so the code the measured run calls on the other side (Kestrel, the emulator's GraphQL and bulk paths,
/// the server's ingest and SQLite) is compiled already, as on a real Shopify and a real Affinsy, which are warm
/// servers. The measured instances start afterwards, empty; nothing of the connector's own process is warmed.
/// </summary>
internal static class ShopifyFixtureWarmUp
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();
        var options = new ShopifyEmulatorOptions { Orders = 200, Throttle = false, BulkDuration = TimeSpan.Zero };
        await using var shop = await ShopifyEmulator.StartAsync(options, TimeProvider.System, cancellationToken);
        await using var server = await BenchmarkServer.StartUnthrottledAsync(Path.Combine(scratch.Path, "server"));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using var sender = new AffinsySender(http, new SinkOptions { BaseUrl = server.ApiBase, ApiKey = ReferenceSettings.LocalDevKey, RequestsPerMinute = 1_000_000 });
        await using var checkpoints = await SqliteCheckpointStore.OpenAsync(Path.Combine(scratch.Path, "state.db"), TimeProvider.System, cancellationToken);
        var source = ConfiguredSource.Create(new SourceRegistry().AddShopifySource(TimeProvider.System), "warm-up", $$"""
            type: shopify
            shop: warm-up.myshopify.com
            access_token: {{options.AccessToken}}
            base_url: {{shop.BaseUrl}}
            mode: bulk
            """, TimeProvider.System, baseDirectory: scratch.Path);
        var result = await new PipelineSync(sender, checkpoints, new JsonlDeadLetterStore(scratch.Path)).RunAsync("warm-up", "warm-up", source, null, cancellationToken);
        if (result.Outcome != SyncOutcome.Completed)
        {
            throw new InvalidOperationException($"the fixtures' warm-up sync ended {result.Outcome}: {result.Error}");
        }
    }
}
