using System.Globalization;
using Affinsy.Emulators.DemoStore;

namespace Affinsy.Host.Cli;

/// <summary>What <c>emulate</c> prints on stdout: the store, the pipeline to paste, the next command.</summary>
internal static class EmulatePrinter
{
    private const string Reports = "    reports: [ { template: standard_mba }, { template: standard_rfm } ]";

    public static string ShopifyPipeline(string url, string token, string apiVersion) => $$"""
          - name: shop-demo
            dataset_id: shop-demo
            # The emulator's well-known token, not a secret; a real shop's token comes from the environment.
            source: { type: shopify, shop: affinsy-demo.myshopify.com, base_url: "{{url}}", access_token: {{token}}, api_version: "{{apiVersion}}", mode: bulk }
        {{Reports}}
        """;

    public static string WooCommercePipeline(string url, string key, string secret) => $$"""
          - name: woo-demo
            dataset_id: woo-demo
            # The emulator's well-known key; plain http on loopback, so requests are signed with OAuth 1.0a.
            source: { type: woocommerce, url: "{{url}}", consumer_key: {{key}}, consumer_secret: {{secret}}, allow_insecure_http: true }
        {{Reports}}
        """;

    public static string KafkaPipeline(string bootstrap, string topic) => $$"""
          - name: kafka-demo
            dataset_id: kafka-demo
            source: { type: kafka, bootstrap_servers: "{{bootstrap}}", topics: [{{topic}}], group_id: affinsy-demo, format: affinsy }
        {{Reports}}
        """;

    public static void Print(string provider, string address, int seed, IReadOnlyList<DemoOrder> store, string pipeline, string name)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider} emulator on {address} (seed {seed})"));
        Console.WriteLine(Summary(store));
        Console.WriteLine();
        Console.WriteLine($"Paste under `pipelines:` in your connectors.yaml (the repository's holds it as `{name}`, enabled: false, for the default address):");
        Console.WriteLine();
        Console.WriteLine(pipeline);
        Console.WriteLine();
        Console.WriteLine($"Next, in another terminal: affinsy-connect sync {name}");
    }

    private static string Summary(IReadOnlyList<DemoOrder> store)
    {
        int Count(DemoOrderKind kind) => store.Count(o => o.Kind == kind);
        return string.Create(CultureInfo.InvariantCulture,
            $"Store: {store.Count:N0} orders from the sample store's catalogue and customers, {Count(DemoOrderKind.Sale):N0} sales, "
            + $"{Count(DemoOrderKind.PartlyRefunded):N0} partly refunded, {Count(DemoOrderKind.Cancelled):N0} cancelled, {Count(DemoOrderKind.Test):N0} test, "
            + $"{Count(DemoOrderKind.Refunded):N0} refunded. A sync sends {store.Count(o => o.IsSent):N0} of them (the connectors skip cancelled, test and refunded orders).");
    }
}
