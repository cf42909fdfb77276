using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce;

/// <summary>Adds the WooCommerce source, and the WooCommerce message format, to a registry.</summary>
public static class WooCommerceSourceRegistration
{
    /// <summary>
    /// Registers the <c>woocommerce</c> source type and the <c>woocommerce</c> message format (order payloads on a
    /// Kafka topic, <c>format: woocommerce</c>).
    /// </summary>
    public static SourceRegistry AddWooCommerceSource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.MessageFormats.Add(new WooCommerceMessageFormat());
        return registry.AddHttpClient(WooCommerceHttp.Client).Add(new WooCommerceSourcePlugin());
    }
}
