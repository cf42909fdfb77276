using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce;

/// <summary>Adds the WooCommerce source to a registry.</summary>
public static class WooCommerceSourceRegistration
{
    /// <summary>Registers <c>woocommerce</c>.</summary>
    public static SourceRegistry AddWooCommerceSource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new WooCommerceSourcePlugin());
    }
}
