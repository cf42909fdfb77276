using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify;

/// <summary>Adds the Shopify source, and the Shopify message format, to a registry.</summary>
public static class ShopifySourceRegistration
{
    /// <summary>
    /// Registers the <c>shopify</c> source type and the <c>shopify</c> message format (webhook payloads on a Kafka
    /// topic, <c>format: shopify</c>); <paramref name="time"/> (default the system clock) dates API version warnings.
    /// </summary>
    public static SourceRegistry AddShopifySource(this SourceRegistry registry, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.MessageFormats.Add(new ShopifyMessageFormat());
        return registry.AddHttpClient(ShopifyHttp.Client).Add(new ShopifySourcePlugin(time ?? TimeProvider.System));
    }
}
